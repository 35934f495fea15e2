//! The driver over links: the simulator in memory (faults) and over TCP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use printer::device::{Device, PaperSensor};
use printer::driver::Driver;
use printer::job::{Job, JobId, Outcome};
use printer::link::{SimLink, TcpLink};
use printer::status::{Fault, Health};
use printer::{Encoder, Profile, samples};

fn job() -> Job {
    let p = Profile::GENERIC_80MM;
    Job::build(
        JobId("J1".into()),
        0,
        &samples::chaxun_jieguo(),
        &Encoder::new(&p),
    )
    .unwrap()
}

fn sim_driver() -> Driver<SimLink> {
    Driver::new(
        || Ok(SimLink::new(Device::default())),
        128,
        Duration::from_millis(50),
    )
}

#[test]
fn prints_and_counts() {
    let mut d = sim_driver();
    assert_eq!(d.status().unwrap().health(), Health::Ready);
    assert_eq!(
        d.print(job()).unwrap(),
        Outcome::Printed {
            paper_near_end: false
        }
    );
    let c = d.counters();
    assert_eq!((c.jobs, c.jobs_failed, c.cuts, c.errors), (1, 0, 1, 0));
    assert!(c.lines > 5);
    let paper = d.link_mut().unwrap().device.paper().clone();
    assert!(paper.text().contains("查询结果"));
}

#[test]
fn paper_events_are_counted_once_per_transition() {
    let mut d = sim_driver();
    d.status().unwrap();
    d.link_mut().unwrap().device.set_paper(PaperSensor::NearEnd);
    assert_eq!(
        d.print(job()).unwrap(),
        Outcome::Printed {
            paper_near_end: true
        }
    );
    d.status().unwrap();
    d.link_mut().unwrap().device.set_paper(PaperSensor::Out);
    assert!(matches!(
        d.print(job()).unwrap(),
        Outcome::Failed { sent: 0, .. }
    ));
    d.status().unwrap();
    let c = d.counters();
    assert_eq!((c.paper_low_events, c.paper_out_events), (1, 1));
    assert_eq!(c.jobs_failed, 1);
}

#[test]
fn stale_input_is_drained_before_asking() {
    let mut d = sim_driver();
    d.status().unwrap();
    d.link_mut().unwrap().inject_input(&[0x7E, 0x72]); // old "paper out" answers
    assert_eq!(d.status().unwrap().health(), Health::Ready);
}

#[test]
fn mute_printer_is_unknown_never_ok() {
    let mut d: Driver<SimLink> = Driver::new(
        || {
            let mut l = SimLink::new(Device::default());
            l.mute = true;
            Ok(l)
        },
        128,
        Duration::from_millis(10),
    );
    assert_eq!(d.status().unwrap().health(), Health::Unknown);
    assert_eq!(
        d.print(job()).unwrap(),
        Outcome::Failed {
            sent: 0,
            faults: vec![],
            unknown: true
        }
    );
}

#[test]
fn unplug_mid_job_is_an_error_then_reconnects() {
    let opened = Arc::new(AtomicUsize::new(0));
    let o = opened.clone();
    let mut d: Driver<SimLink> = Driver::new(
        move || {
            let mut l = SimLink::new(Device::default());
            if o.fetch_add(1, Ordering::SeqCst) == 0 {
                l.unplug_after = Some(200);
            }
            Ok(l)
        },
        128,
        Duration::from_millis(10),
    );
    assert!(d.print(job()).is_err());
    let c = d.counters();
    assert_eq!((c.errors, c.jobs_failed), (1, 1));
    // the next call opens a new link; the reprint goes through
    let again = Job::build(
        JobId("J1".into()),
        1,
        &samples::chaxun_jieguo(),
        &Encoder::new(&Profile::GENERIC_80MM),
    )
    .unwrap();
    assert!(matches!(d.print(again).unwrap(), Outcome::Printed { .. }));
    assert_eq!(d.counters().reconnects, 1);
    assert_eq!(opened.load(Ordering::SeqCst), 2);
    assert!(d.link_mut().unwrap().device.paper().text().contains("补打"));
}

#[test]
fn cover_open_over_tcp() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let device = Arc::new(Mutex::new(Device::default()));
    let _server = printer::sim::serve_tcp(listener, device.clone());
    let mut d = Driver::new(
        move || TcpLink::connect(addr, Duration::from_secs(2)),
        512,
        Duration::from_millis(500),
    );
    assert_eq!(
        d.print(job()).unwrap(),
        Outcome::Printed {
            paper_near_end: false
        }
    );
    assert!(device.lock().unwrap().paper().text().contains("查询结果"));
    device.lock().unwrap().set_cover_open(true);
    assert_eq!(
        d.status().unwrap().health(),
        Health::Fault(vec![Fault::CoverOpen])
    );
    assert!(matches!(
        d.print(job()).unwrap(),
        Outcome::Failed { sent: 0, .. }
    ));
}

#[test]
fn file_link_writes_the_job_and_times_out_reading() {
    use printer::link::{FileLink, Link};
    let path = std::env::temp_dir().join(format!("printer-filelink-{}.bin", std::process::id()));
    std::fs::write(&path, b"").unwrap();
    let mut link = FileLink::open(&path).unwrap();
    link.send(&job().bytes).unwrap();
    let mut b = [0u8; 4];
    assert_eq!(link.receive(&mut b, Duration::from_millis(30)).unwrap(), 0);
    assert_eq!(std::fs::read(&path).unwrap(), job().bytes);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn paper_out_mid_job_clears_the_printer_and_the_reprint_is_whole() {
    let mut d: Driver<SimLink> = Driver::new(
        || {
            let mut l = SimLink::new(Device::default());
            // 12 status bytes + 128 job bytes + 12 status bytes, then paper runs out in chunk 2
            l.paper_out_after = Some(200);
            Ok(l)
        },
        128,
        Duration::from_millis(10),
    );
    let Outcome::Failed { sent, faults, .. } = d.print(job()).unwrap() else {
        panic!("paper out must fail the job");
    };
    assert_eq!(sent, 256, "stopped after the chunk that ran out");
    assert_eq!(faults, vec![Fault::PaperOut]);
    let dev = &mut d.link_mut().unwrap().device;
    assert_eq!(dev.buffered(), 0, "DLE ENQ 2 cleared the held rest");
    let partial = dev.take_paper();
    assert_eq!(partial.cuts(), 0);
    dev.set_paper(PaperSensor::Ok);
    assert!(dev.paper().items.is_empty(), "nothing resumes mid-receipt");
    let again = Job::build(
        JobId("J1".into()),
        1,
        &samples::chaxun_jieguo(),
        &Encoder::new(&Profile::GENERIC_80MM),
    )
    .unwrap();
    assert!(matches!(d.print(again).unwrap(), Outcome::Printed { .. }));
    let paper = d.link_mut().unwrap().device.paper().clone();
    assert!(paper.text().starts_with("【补打 第1次】"));
    assert!(paper.text().contains("本结果仅供参考"));
    assert_eq!(paper.cuts(), 1);
}

#[test]
fn serial_link_over_a_pty_prints_and_reads_status_with_hardware_flow_control() {
    use printer::link::{Flow, SerialLink};
    use printer::sim::{open_pty, serve_serial};
    let device = Arc::new(Mutex::new(Device::new(true)));
    let pty = open_pty().unwrap();
    let _serving = serve_serial(pty.master.try_clone().unwrap(), device.clone());
    let path = pty.path.clone();
    let mut d = Driver::new(
        move || SerialLink::open(&path, 9600, Flow::Hardware),
        256,
        Duration::from_millis(500),
    );
    assert_eq!(d.status().unwrap().health(), Health::Ready);
    assert_eq!(
        d.print(job()).unwrap(),
        Outcome::Printed {
            paper_near_end: false
        }
    );
    device.lock().unwrap().flush_line();
    assert!(device.lock().unwrap().paper().text().contains("查询结果"));
    device.lock().unwrap().set_cover_open(true);
    assert_eq!(
        d.status().unwrap().health(),
        Health::Fault(vec![Fault::CoverOpen])
    );
}

#[test]
fn a_usb_printer_is_found_by_vendor_and_product_through_sysfs() {
    use printer::link::usblp_path;
    // a fake /sys: class/usbmisc/lpN/device -> the interface, whose parent holds the ids
    let sys = std::env::temp_dir().join(format!("printer-sysfs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&sys);
    for (lp, bus, vid, pid) in [
        ("lp0", "1-1", "0483", "5720"),
        ("lp1", "1-2", "0416", "5011"),
    ] {
        let interface = sys.join(format!("devices/{bus}/{bus}:1.0"));
        std::fs::create_dir_all(&interface).unwrap();
        std::fs::write(
            sys.join(format!("devices/{bus}/idVendor")),
            format!("{vid}\n"),
        )
        .unwrap();
        std::fs::write(
            sys.join(format!("devices/{bus}/idProduct")),
            format!("{pid}\n"),
        )
        .unwrap();
        let class = sys.join(format!("class/usbmisc/{lp}"));
        std::fs::create_dir_all(&class).unwrap();
        std::os::unix::fs::symlink(&interface, class.join("device")).unwrap();
    }
    // not a printer: ignored
    std::fs::create_dir_all(sys.join("class/usbmisc/hiddev0")).unwrap();
    assert_eq!(
        usblp_path(&sys, 0x0416, 0x5011).unwrap(),
        std::path::Path::new("/dev/usb/lp1")
    );
    assert_eq!(
        usblp_path(&sys, 0x0483, 0x5720).unwrap(),
        std::path::Path::new("/dev/usb/lp0")
    );
    let e = usblp_path(&sys, 0x1234, 0x5678).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
    assert!(e.to_string().contains("1234:5678"), "{e}");
    std::fs::remove_dir_all(&sys).unwrap();
}
