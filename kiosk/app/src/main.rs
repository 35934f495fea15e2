//! The `kiosk` binary: runs the kiosk, renders screenshots, checks configuration, reads an
//! ID card, runs device simulators, submits a sample application.

use clap::{Args, Parser, Subcommand};
use kiosk_app::controller::{ClockSource, Controller};
use kiosk_app::ui::AppWindow;
use kiosk_app::{cli, config, fonts, headless, screenshot};
use slint::ComponentHandle;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

/// 政务服务一体机: the self-service terminal's firmware and touchscreen UI.
#[derive(Parser)]
#[command(name = "kiosk", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the kiosk (the default): fullscreen UI with the configured devices.
    Run {
        /// kiosk.toml (default: $KIOSK_CONFIG, ./config/kiosk.toml, /etc/kiosk/kiosk.toml)
        #[arg(long)]
        config: Option<PathBuf>,
        /// Render offscreen with the software renderer; no display needed.
        #[arg(long)]
        headless: bool,
        /// Use a normal window instead of fullscreen (development).
        #[arg(long)]
        windowed: bool,
        /// Stop after this many seconds (soak tests, CI).
        #[arg(long)]
        exit_after: Option<u64>,
        /// Do not start the management endpoint ([ops] in kiosk.toml), whatever the config says.
        #[arg(long)]
        no_ops: bool,
    },
    /// Render screens with sample data to PNG through the software renderer.
    Screenshot {
        /// kiosk.toml to take the terminal and catalog from.
        #[arg(long)]
        config: Option<PathBuf>,
        /// One screen: attract, home, matter-list, search, guide, identify, ... (see --list).
        #[arg(long, conflicts_with_all = ["all", "list"])]
        screen: Option<String>,
        /// Output PNG for --screen.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Window size WxH (default: the configured orientation).
        #[arg(long)]
        size: Option<String>,
        /// Every screen in both orientations into --out-dir/{portrait,landscape}/.
        #[arg(long)]
        all: bool,
        /// Output directory for --all.
        #[arg(long)]
        out_dir: Option<PathBuf>,
        /// List the screen names.
        #[arg(long)]
        list: bool,
    },
    /// Validate kiosk.toml and the catalog; print every error with file, line and field.
    CheckConfig {
        /// kiosk.toml to check.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// ID-card reader tools.
    Idcard {
        #[command(subcommand)]
        command: IdcardCommand,
    },
    /// Receipt printing: sample receipts to a printer or a file, and ESC/POS files rendered
    /// to PNG. Exit 0 printed, 3 no link or no answer, 5 printer fault.
    Print {
        #[command(subcommand)]
        command: PrintCommand,
    },
    /// Receipt-printer tools.
    Printer {
        #[command(subcommand)]
        command: PrinterCommand,
    },
    /// The reference county backend as its own process (the API of kiosk/county/openapi.yaml),
    /// with the catalog of the kiosk configuration. Prints `listening on ADDR` when ready.
    CountySim {
        /// Address to listen on, e.g. 127.0.0.1:8620.
        #[arg(long, default_value = "127.0.0.1:8620")]
        listen: String,
        /// Directory of its database and attachments (created and seeded if new).
        #[arg(long)]
        data: PathBuf,
        /// kiosk.toml whose catalog to serve.
        #[arg(long)]
        config: Option<PathBuf>,
        /// A terminal allowed to call, as ID:HEXSECRET (repeatable).
        #[arg(long = "terminal")]
        terminals: Vec<String>,
        /// Serve HTTPS with this certificate chain (PEM, leaf first); needs --tls-key.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key (PEM).
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// The reference backend's 差评 awaiting 回访, oldest deadline first (county staff).
    /// Callback numbers are masked unless --reveal.
    CountyFollowUps {
        /// The reference backend's data directory (`kiosk county-sim --data`, or
        /// `storage.dir`/county for the embedded one).
        #[arg(long)]
        data: PathBuf,
        /// Show the callback numbers in full, for the member of staff making the calls.
        #[arg(long)]
        reveal: bool,
    },
    /// Submit one sample application through the kiosk's own outbox path (technicians,
    /// development): prints `accepted RECEIPT_NO submitted|queued` or `refused REASON`.
    /// Exit 0 accepted, 3 not drained in --wait-drained, 4 refused.
    Submit {
        /// kiosk.toml of the terminal (its backend and storage are used as the kiosk uses them).
        #[arg(long)]
        config: Option<PathBuf>,
        /// An apply matter the terminal offers, e.g. yanglao-cxjm-canbao-dengji.
        #[arg(long)]
        matter: String,
        /// Which sample person applies (index into the dev dock's sample people).
        #[arg(long)]
        person: usize,
        /// Contact phone, 11 digits.
        #[arg(long)]
        phone: String,
        /// Index of the form's choice (领卡方式, 缴费档次, …).
        #[arg(long)]
        choice: usize,
        /// Then wait up to SECS for the outbox to empty (exit 3 if it does not).
        #[arg(long, value_name = "SECS")]
        wait_drained: Option<u64>,
    },
    /// The 高拍仪 document pipeline: pages from image files or one still from a camera, found,
    /// straightened and evened out, written as a JPEG or a multi-page PDF. Exit 0 written, 2 bad
    /// arguments or files, 3 camera error, 4 a capture rejected (the prompt is printed).
    Scan {
        /// Image files (JPEG or PNG), one page each.
        #[arg(long, num_args = 1.., conflicts_with = "device", required_unless_present = "device")]
        input: Vec<PathBuf>,
        /// A V4L2 camera (/dev/videoN), or `sim` for the simulated 高拍仪.
        #[arg(long)]
        device: Option<String>,
        /// a4 (grey, 200 dpi), a4-colour, id-card (colour, 300 dpi).
        #[arg(long, default_value = "a4")]
        material: String,
        /// Output: FILE.pdf (any number of pages) or FILE.jpg (one page).
        #[arg(long)]
        out: PathBuf,
    },
    /// Print the argon2id hash of a maintenance PIN (6–12 digits, read from stdin) for
    /// `[maintenance] pin_hash` in kiosk.toml.
    HashPin,
    /// Device simulators.
    Sim {
        #[command(subcommand)]
        device: SimDevice,
    },
}

#[derive(Subcommand)]
enum IdcardCommand {
    /// One read: each step's outcome on stderr, the identity (masked unless --reveal) on
    /// stdout. Exit 0 read, 2 no card, 3 device error, 4 unparseable data.
    Read {
        /// Serial port of the reader (e.g. /dev/ttyUSB0, or a simulator's pty).
        #[arg(long)]
        port: String,
        /// Baud rate.
        #[arg(long, default_value_t = 115_200)]
        baud: u32,
        /// Print the card as JSON (English snake_case keys, ISO dates).
        #[arg(long)]
        json: bool,
        /// Print personal data in clear (name, number, address, birth date).
        #[arg(long)]
        reveal: bool,
    },
}

/// Where a printer command sends its bytes: exactly one.
#[derive(Args)]
#[group(multiple = false)]
struct PrinterTarget {
    /// A serial printer or a simulator's pty (hardware flow control).
    #[arg(long)]
    port: Option<String>,
    /// The kernel's USB printer device file, e.g. /dev/usb/lp0.
    #[arg(long)]
    lp: Option<String>,
    /// A USB printer by VID:PID (hex), through its usblp device file.
    #[arg(long)]
    usb: Option<String>,
    /// A network printer HOST:PORT (raw port 9100).
    #[arg(long)]
    tcp: Option<String>,
}

#[derive(Args)]
struct ReceiptTarget {
    #[command(flatten)]
    printer: PrinterTarget,
    /// Write the ESC/POS bytes to this file instead of a printer.
    #[arg(long, conflicts_with_all = ["port", "lp", "usb", "tcp"])]
    out: Option<String>,
}

#[derive(Subcommand)]
enum PrintCommand {
    /// Print a sample receipt: banjian (办件回执), chaxun (查询结果), gaozhi (一次性告知单),
    /// canbao (参保证明), test-page.
    Receipt {
        /// Which sample.
        #[arg(long)]
        sample: String,
        /// Printer model: 80mm, tm-t88, 58mm.
        #[arg(long, default_value = "80mm")]
        model: String,
        /// Print it as the n-th 补打 (reprint) of the same job.
        #[arg(long, default_value_t = 0)]
        reprint: u32,
        /// Serial baud rate for --port.
        #[arg(long, default_value_t = 9600)]
        baud: u32,
        #[command(flatten)]
        target: ReceiptTarget,
    },
    /// Decode an ESC/POS file with the simulator and render the paper to PNG; prints the text
    /// and QR payloads it decoded.
    Render {
        /// The ESC/POS bytes.
        input: PathBuf,
        /// The PNG to write.
        #[arg(long)]
        out: PathBuf,
        /// Printer model (paper width): 80mm, tm-t88, 58mm.
        #[arg(long, default_value = "80mm")]
        model: String,
    },
}

#[derive(Subcommand)]
enum PrinterCommand {
    /// Read DLE EOT 1–4 and print every field. Exit 0 ready (or paper near end), 3 no link or
    /// no answer, 5 fault.
    Status {
        /// Serial baud rate for --port.
        #[arg(long, default_value_t = 9600)]
        baud: u32,
        #[command(flatten)]
        target: PrinterTarget,
    },
}

#[derive(Subcommand)]
enum SimDevice {
    /// The ID-card reader simulator: prints its pty path, then takes control lines on stdin
    /// (place resident|hmt|foreign2017|foreign2023|unknown, remove, corrupt, garbage, pull,
    /// silent on|off, delay MS, sam 60|66|off, quit).
    Idcard {
        /// Serve on a new pseudo-terminal (the only transport for now).
        #[arg(long)]
        pty: bool,
        /// A sample card to place at start.
        #[arg(long)]
        card: Option<String>,
    },
    /// The receipt-printer simulator: prints its pty path, then takes control lines on stdin
    /// (paper ok|low|out, cover open|closed, render FILE.png, clear, quit).
    Printer {
        /// Serve on a new pseudo-terminal (the only transport for now).
        #[arg(long)]
        pty: bool,
        /// Printer model for rendering: 80mm, tm-t88, 58mm.
        #[arg(long, default_value = "80mm")]
        model: String,
    },
    /// The 好差评 rating-pad simulator: prints its pty path, then a line for each LED change
    /// and prompt played, and takes control lines on stdin (press N, repeat N K,
    /// fault on|off|HEX, silent on|off, garble, quit).
    Rating {
        /// Serve on a new pseudo-terminal (the only transport for now).
        #[arg(long)]
        pty: bool,
    },
}

fn printer_target(t: PrinterTarget, baud: u32) -> Result<cli::print::Target, String> {
    use cli::print::Target;
    if let Some(p) = t.port {
        Ok(Target::Serial(p, baud))
    } else if let Some(p) = t.lp {
        Ok(Target::DeviceFile(p))
    } else if let Some(u) = t.usb {
        let (v, p) = cli::print::parse_usb(&u)?;
        Ok(Target::Usb(v, p))
    } else if let Some(a) = t.tcp {
        Ok(Target::Tcp(a))
    } else {
        Err("需要 --port、--lp、--usb 或 --tcp 之一".into())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command.unwrap_or(Command::Run {
        config: None,
        headless: false,
        windowed: false,
        exit_after: None,
        no_ops: false,
    }) {
        Command::Run {
            config,
            headless,
            windowed,
            exit_after,
            no_ops,
        } => {
            kiosk_app::supervision::init_logging();
            let result = run(config, headless, windowed, exit_after, no_ops);
            if result.is_ok()
                && kiosk_app::controller::RESTART_REQUESTED
                    .load(std::sync::atomic::Ordering::SeqCst)
            {
                tracing::info!("restart requested in the maintenance menu");
                return ExitCode::from(kiosk_app::controller::RESTART_EXIT_CODE);
            }
            result
        }
        Command::HashPin => return hash_pin(),
        Command::Scan {
            input,
            device,
            material,
            out,
        } => {
            let Some(kind) = cli::scan::material(&material) else {
                eprintln!("kiosk scan: --material 应为 a4、a4-colour 或 id-card");
                return ExitCode::from(2);
            };
            let source = match device {
                Some(d) => cli::scan::Source::Device(d),
                None => cli::scan::Source::Files(input),
            };
            return cli::scan::run(&source, kind, &out);
        }
        Command::Screenshot {
            config,
            screen,
            out,
            size,
            all,
            out_dir,
            list,
        } => {
            if list {
                screenshot::SCREENS.iter().for_each(|s| println!("{s}"));
                Ok(())
            } else {
                screenshots(config, screen, out, size, all, out_dir)
            }
        }
        Command::CheckConfig { config } => return check_config(config),
        Command::Idcard {
            command:
                IdcardCommand::Read {
                    port,
                    baud,
                    json,
                    reveal,
                },
        } => return cli::idcard_read::run(&port, baud, json, reveal),
        Command::CountySim {
            listen,
            data,
            config,
            terminals,
            tls_cert,
            tls_key,
        } => load(config).and_then(|setup| {
            let tls = tls_cert.zip(tls_key);
            cli::county_sim::run(&listen, &data, &setup, &terminals, tls)
        }),
        Command::CountyFollowUps { data, reveal } => {
            return cli::follow_ups::run(&data, reveal);
        }
        Command::Submit {
            config,
            matter,
            person,
            phone,
            choice,
            wait_drained,
        } => {
            let request = cli::submit::Request {
                matter,
                person,
                phone,
                choice,
                wait_drained: wait_drained.map(std::time::Duration::from_secs),
            };
            return match load(config) {
                Ok(setup) => cli::submit::run(&setup, &request),
                Err(e) => {
                    eprintln!("kiosk: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        Command::Sim {
            device: SimDevice::Idcard { pty: _, card },
        } => cli::sim_idcard::run(card.as_deref()),
        Command::Sim {
            device: SimDevice::Printer { pty: _, model },
        } => cli::sim_printer::run(&model),
        Command::Sim {
            device: SimDevice::Rating { pty: _ },
        } => cli::sim_rating::run(),
        Command::Print {
            command:
                PrintCommand::Receipt {
                    sample,
                    model,
                    reprint,
                    baud,
                    target,
                },
        } => {
            let target = match target.out {
                Some(out) => Ok(cli::print::Target::File(out)),
                None => printer_target(target.printer, baud)
                    .map_err(|_| "需要 --out、--port、--lp、--usb 或 --tcp 之一".to_string()),
            };
            return match target {
                Ok(t) => cli::print::receipt(&sample, &model, reprint, &t),
                Err(e) => {
                    eprintln!("kiosk: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        Command::Print {
            command: PrintCommand::Render { input, out, model },
        } => cli::print::render(&input, &out, &model),
        Command::Printer {
            command: PrinterCommand::Status { baud, target },
        } => {
            return match printer_target(target, baud) {
                Ok(t) => cli::print::status(&t),
                Err(e) => {
                    eprintln!("kiosk: {e}");
                    ExitCode::FAILURE
                }
            };
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("kiosk: {message}");
            ExitCode::FAILURE
        }
    }
}

fn hash_pin() -> ExitCode {
    use std::io::BufRead;
    eprintln!("请输入维护密码（6–12 位数字），回车结束：");
    let mut line = String::new();
    if let Err(e) = std::io::stdin().lock().read_line(&mut line) {
        eprintln!("kiosk: {e}");
        return ExitCode::FAILURE;
    }
    match kiosk_app::maintenance::pin::hash_pin(line.trim()) {
        Ok(hash) => {
            println!("{hash}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("kiosk: {e}");
            ExitCode::from(2)
        }
    }
}

fn load(config: Option<PathBuf>) -> Result<Arc<kiosk_core::setup::Setup>, String> {
    let path = config.unwrap_or_else(config::default_path);
    config::load(&path)
        .map(Arc::new)
        .map_err(|e| format!("配置有误:\n{e}"))
}

fn check_config(config: Option<PathBuf>) -> ExitCode {
    let path = config.unwrap_or_else(config::default_path);
    match config::load(&path) {
        Ok(setup) => {
            let matters = setup.catalog.matters().len();
            let samples = setup.catalog.sample_guides();
            println!("{}: 配置有效", path.display());
            println!(
                "终端 {}（{}），{}",
                setup.terminal.id, setup.terminal.name, setup.terminal.county
            );
            println!(
                "目录 {} {}：{} 个事项，本终端提供 {} 个",
                setup.catalog.name,
                setup.catalog.version,
                matters,
                setup.terminal.offered.len()
            );
            if !samples.is_empty() {
                println!(
                    "注意：{} 个事项的办事指南只有示例文字（【示例】），上线前须换成县里公布的指南：",
                    samples.len()
                );
                for m in samples {
                    println!("  {}  {}", m.id.as_str(), m.name);
                }
            }
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprintln!("{}: 配置有 {} 处错误", path.display(), errors.0.len());
            for e in &errors.0 {
                eprintln!("{e}");
            }
            ExitCode::from(2)
        }
    }
}

fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let (w, h) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("size “{text}” should be WxH"))?;
    let parse = |v: &str| v.parse::<u32>().ok().filter(|v| (200..=8000).contains(v));
    match (parse(w), parse(h)) {
        (Some(w), Some(h)) => Ok((w, h)),
        _ => Err(format!("size “{text}” should be WxH with 200..8000 pixels")),
    }
}

fn screenshots(
    config: Option<PathBuf>,
    screen: Option<String>,
    out: Option<PathBuf>,
    size: Option<String>,
    all: bool,
    out_dir: Option<PathBuf>,
) -> Result<(), String> {
    let setup = load(config)?;
    let default = setup.terminal.orientation.size();
    let size = size
        .as_deref()
        .map(parse_size)
        .transpose()?
        .unwrap_or(default);
    let window = headless::install(size.0, size.1).map_err(|e| e.to_string())?;
    fonts::register();
    let app = AppWindow::new().map_err(|e| e.to_string())?;
    if all {
        let dir = out_dir.ok_or("--all needs --out-dir")?;
        for (orientation, dims) in [("portrait", (1080, 1920)), ("landscape", (1920, 1080))] {
            let sub = dir.join(orientation);
            std::fs::create_dir_all(&sub).map_err(|e| format!("{}: {e}", sub.display()))?;
            for name in screenshot::SCREENS {
                let path = sub.join(format!("{name}.png"));
                screenshot::render(&app, &window, &setup, name, dims, &path)?;
                println!("{}", path.display());
            }
        }
        Ok(())
    } else {
        let name = screen.ok_or("give --screen NAME --out FILE, or --all --out-dir DIR")?;
        let out = out.ok_or("--screen needs --out FILE.png")?;
        screenshot::render(&app, &window, &setup, &name, size, &out)
    }
}

fn run(
    config: Option<PathBuf>,
    headless_mode: bool,
    windowed: bool,
    exit_after: Option<u64>,
    no_ops: bool,
) -> Result<(), String> {
    let started = Instant::now();
    let config_path = config.clone().unwrap_or_else(config::default_path);
    let setup = load(config)?;
    let running_setup = setup.clone();
    let ops_config = (!no_ops && setup.terminal.ops.enabled).then(|| {
        (
            setup.terminal.ops.clone(),
            std::path::PathBuf::from(&setup.terminal.storage_dir),
        )
    });
    let (w, h) = setup.terminal.orientation.size();
    if headless_mode {
        headless::install(w, h).map_err(|e| e.to_string())?;
    }
    fonts::register();
    let app = AppWindow::new().map_err(|e| e.to_string())?;
    if !headless_mode {
        app.window().set_size(slint::PhysicalSize::new(w, h));
        app.window().set_fullscreen(!windowed);
    }
    let controller = Controller::new(&app, setup, ClockSource::Real(started), true);
    let _ops = ops_config.and_then(|(ops, storage)| start_ops(&ops, &storage, &controller));
    if !headless_mode {
        observe_frames(&app);
    }
    if let Some(secs) = exit_after {
        slint::Timer::single_shot(std::time::Duration::from_secs(secs), || {
            let _ = slint::quit_event_loop();
        });
    }
    app.show().map_err(|e| e.to_string())?;
    let ready_ms = started.elapsed().as_millis();
    tracing::info!(ready_ms, "kiosk ready");
    eprintln!("kiosk: ready in {ready_ms} ms");
    kiosk_app::supervision::ready(&format!("serving, ready in {ready_ms} ms"));
    let _watchdog =
        kiosk_app::supervision::watchdog().map(|period| feed_watchdog(&controller, period));
    let _stop = stop_on_sigterm();
    let _refresh = nightly_refresh(&controller, config_path, running_setup);
    slint::run_event_loop().map_err(|e| e.to_string())?;
    kiosk_app::supervision::stopping();
    app.hide().map_err(|e| e.to_string())
}

/// The nightly catalog refresh ([`kiosk_app::refresh`]), checked every 30 s on the UI thread.
fn nightly_refresh(
    controller: &std::rc::Rc<Controller>,
    config: PathBuf,
    running: Arc<kiosk_core::setup::Setup>,
) -> slint::Timer {
    use kiosk_app::refresh::{Refresh, Schedule, check};
    use kiosk_core::maintenance::AuditEvent;
    let timer = slint::Timer::default();
    let weak = std::rc::Rc::downgrade(controller);
    let schedule = std::cell::RefCell::new(Schedule::starting_at(county::signing::unix_now()));
    timer.start(
        slint::TimerMode::Repeated,
        std::time::Duration::from_secs(30),
        move || {
            let Some(c) = weak.upgrade() else {
                return;
            };
            if !schedule
                .borrow_mut()
                .due(county::signing::unix_now(), c.quiet())
            {
                return;
            }
            match check(&config, &running) {
                Refresh::Unchanged => {
                    tracing::info!("nightly refresh: catalog unchanged");
                    c.audit(AuditEvent::CatalogChecked {
                        valid: true,
                        changed: false,
                    });
                }
                Refresh::Changed { from, to } => {
                    tracing::info!(from, to, "nightly refresh: new configuration, restarting");
                    c.audit(AuditEvent::CatalogChecked {
                        valid: true,
                        changed: true,
                    });
                    kiosk_app::controller::RESTART_REQUESTED
                        .store(true, std::sync::atomic::Ordering::SeqCst);
                    let _ = slint::quit_event_loop();
                }
                Refresh::Invalid(why) => {
                    tracing::error!(error = %why, "nightly refresh: files do not load, keeping the running catalog");
                    c.audit(AuditEvent::CatalogChecked {
                        valid: false,
                        changed: false,
                    });
                }
            }
        },
    );
    timer
}

/// `systemctl stop` (SIGTERM) and Ctrl-C (SIGINT) end the event loop like `--exit-after`, so
/// the kiosk exits cleanly: counters saved, devices released, `STOPPING=1` sent.
fn stop_on_sigterm() -> Option<slint::Timer> {
    let asked = Arc::new(std::sync::atomic::AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        if let Err(e) = signal_hook::flag::register(signal, asked.clone()) {
            eprintln!("kiosk: 无法处理停止信号 {signal}：{e}");
            return None;
        }
    }
    let timer = slint::Timer::default();
    timer.start(
        slint::TimerMode::Repeated,
        std::time::Duration::from_millis(200),
        move || {
            if asked.load(std::sync::atomic::Ordering::Relaxed) {
                tracing::info!("stop signal: leaving the event loop");
                let _ = slint::quit_event_loop();
            }
        },
    );
    Some(timer)
}

/// Feeds systemd's watchdog from the UI thread while the kiosk is healthy
/// ([`kiosk_app::supervision::healthy`]); a stuck event loop never runs this timer.
fn feed_watchdog(
    controller: &std::rc::Rc<Controller>,
    period: std::time::Duration,
) -> slint::Timer {
    let timer = slint::Timer::default();
    let weak = std::rc::Rc::downgrade(controller);
    let warned = std::cell::Cell::new(false);
    tracing::info!(
        period_ms = period.as_millis() as u64,
        "systemd watchdog enabled"
    );
    timer.start(
        slint::TimerMode::Repeated,
        kiosk_app::supervision::feed_interval(period),
        move || {
            let Some(c) = weak.upgrade() else {
                return;
            };
            let idle = c.sender_idle_secs();
            if kiosk_app::supervision::healthy(idle) {
                kiosk_app::supervision::feed();
                warned.set(false);
            } else if !warned.replace(true) {
                tracing::error!(
                    sender_idle_secs = idle,
                    "outbox sender hung: watchdog no longer fed"
                );
            }
        },
    );
    timer
}

/// Starts the management endpoint for `controller`; a kiosk whose endpoint cannot start
/// (address taken) serves citizens all the same, and says why.
fn start_ops(
    ops: &kiosk_core::terminal::OpsConfig,
    storage: &std::path::Path,
    controller: &Controller,
) -> Option<kiosk_app::ops::health::Running> {
    let token = match kiosk_app::ops::load_token(ops.token_file.as_deref(), storage) {
        Ok(t) => Some(t),
        Err(e) => {
            eprintln!("kiosk: 运维接口没有可用的令牌，/status 和 /metrics 将一律回答 401：{e}");
            None
        }
    };
    let shared = controller.ops();
    if let Err(e) = kiosk_app::ops::Shared::start_sampler(&shared) {
        eprintln!("kiosk: 运维接口的采样线程无法启动：{e}");
    }
    match kiosk_app::ops::health::start(ops.listen, token, shared) {
        Ok(running) => {
            eprintln!("kiosk: ops endpoint listening on {}", running.addr);
            Some(running)
        }
        Err(e) => {
            eprintln!("kiosk: 运维接口无法在 {} 上监听：{e}", ops.listen);
            None
        }
    }
}

/// Times each frame the windowed renderer draws into the frame-time histogram, where the
/// renderer supports Slint's rendering notifier (FemtoVG does; the software renderer under
/// winit does not, and then only the headless platform's frames are measured).
fn observe_frames(app: &AppWindow) {
    let began = std::cell::Cell::new(None::<Instant>);
    let set = app
        .window()
        .set_rendering_notifier(move |state, _| match state {
            slint::RenderingState::BeforeRendering => began.set(Some(Instant::now())),
            slint::RenderingState::AfterRendering => {
                if let Some(t) = began.take() {
                    kiosk_app::ops::metrics::FRAMES.observe(t.elapsed());
                }
            }
            _ => {}
        });
    if set.is_err() {
        eprintln!("kiosk: 当前渲染器不支持帧回调，运维接口的帧耗时直方图为空");
    }
}
