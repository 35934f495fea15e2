//! `kiosk county-sim --listen ADDR --data DIR --terminal ID:HEXSECRET … [--tls-cert PEM
//! --tls-key PEM]`: the reference county backend as its own process (HTTPS with a
//! certificate), with the catalog of the kiosk's configuration. It
//! prints `listening on ADDR` once ready, and serves until killed.

use std::collections::HashMap;
use std::path::Path;

use county::signing::decode_hex;
use county::{County, CountyConfig, system_clock};

/// Parses `ID:HEXSECRET` (the secret at least 16 bytes).
pub fn parse_terminal(text: &str) -> Result<(String, Vec<u8>), String> {
    let (id, secret) = text
        .split_once(':')
        .ok_or_else(|| format!("--terminal “{text}” 应写成 终端编号:十六进制密钥"))?;
    let ok_id = !id.is_empty()
        && id.len() <= 32
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let secret = decode_hex(secret).filter(|s| s.len() >= 16);
    match (ok_id, secret) {
        (true, Some(s)) => Ok((id.to_string(), s)),
        (false, _) => Err(format!(
            "终端编号 “{id}” 只能含字母、数字和 -，最长 32 个字符"
        )),
        (true, None) => Err(format!(
            "终端 {id} 的密钥应为至少 32 位十六进制数字（16 字节）"
        )),
    }
}

/// Serves until the process is killed.
pub fn run(
    listen: &str,
    data: &Path,
    setup: &kiosk_core::setup::Setup,
    terminals: &[String],
    tls: Option<(std::path::PathBuf, std::path::PathBuf)>,
) -> Result<(), String> {
    if terminals.is_empty() {
        return Err("至少需要一个 --terminal 终端编号:十六进制密钥".into());
    }
    let map: HashMap<String, Vec<u8>> = terminals
        .iter()
        .map(|t| parse_terminal(t))
        .collect::<Result<_, _>>()?;
    let config = CountyConfig::from_catalog(&setup.catalog, map);
    let county = County::open(data, config, system_clock())
        .map_err(|e| format!("无法打开数据目录 {}：{e}", data.display()))?;
    let running = match tls {
        Some((cert, key)) => {
            let read =
                |p: &Path| std::fs::read(p).map_err(|e| format!("无法读取 {}：{e}", p.display()));
            let config = county::tls::server_config(&read(&cert)?, &read(&key)?)?;
            county::spawn_tls(listen, county, config)
        }
        None => county::spawn(listen, county),
    }
    .map_err(|e| format!("无法监听 {listen}：{e}"))?;
    println!("listening on {}", running.addr);
    use std::io::Write;
    let _ = std::io::stdout().flush();
    loop {
        std::thread::park();
    }
}
