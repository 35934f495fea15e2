//! The simulator served over TCP (port 9100 style): every connection's bytes go to one shared
//! [`Device`], its answers go back. Paper and cover are toggled through the shared handle
//! (the dev dock's job).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::device::Device;

/// A shared simulated printer.
pub type SharedDevice = Arc<Mutex<Device>>;

/// Serve `device` on `listener` in a background thread, one connection at a time, until the
/// listener fails. Returns the thread handle.
pub fn serve_tcp(listener: TcpListener, device: SharedDevice) -> JoinHandle<()> {
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else {
                return;
            };
            let mut buf = [0u8; 4096];
            loop {
                let n = match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let answers = match device.lock() {
                    Ok(mut d) => d.receive(&buf[..n]),
                    Err(_) => return,
                };
                if !answers.is_empty() && stream.write_all(&answers).is_err() {
                    break;
                }
            }
        }
    })
}
