//! Reading `kiosk.toml` and the catalog it names from disk, for the core's parsers.

use kiosk_core::config_error::{ConfigError, ConfigErrors};
use kiosk_core::setup::Setup;
use kiosk_core::terminal::TerminalConfig;
use std::path::{Path, PathBuf};

/// Where the configuration is looked for when `--config` is not given: `$KIOSK_CONFIG`,
/// else `config/kiosk.toml` under the current directory, else `/etc/kiosk/kiosk.toml`.
pub fn default_path() -> PathBuf {
    if let Some(p) = std::env::var_os("KIOSK_CONFIG") {
        return PathBuf::from(p);
    }
    let local = PathBuf::from("config/kiosk.toml");
    if local.exists() {
        local
    } else {
        PathBuf::from("/etc/kiosk/kiosk.toml")
    }
}

/// Loads and validates `kiosk.toml` and its catalog. Every error names file, line and field.
pub fn load(kiosk_path: &Path) -> Result<Setup, ConfigErrors> {
    let kiosk_name = kiosk_path.display().to_string();
    let kiosk_text = read(kiosk_path)?;
    // parse once to learn where the catalog is, then parse both together for all errors
    let catalog_rel = match TerminalConfig::parse(&kiosk_text, &kiosk_name) {
        Ok(parsed) => parsed.catalog_path().to_string(),
        Err(e) => return Err(e),
    };
    let catalog_path = kiosk_path
        .parent()
        .unwrap_or(Path::new("."))
        .join(catalog_rel);
    let catalog_text = read(&catalog_path)?;
    let mut setup = Setup::parse(
        &kiosk_text,
        &kiosk_name,
        &catalog_text,
        &catalog_path.display().to_string(),
    )?;
    // paths in kiosk.toml are relative to kiosk.toml
    let base = kiosk_path.parent().unwrap_or(Path::new("."));
    let t = &mut setup.terminal;
    t.storage_dir = base.join(&t.storage_dir).display().to_string();
    for p in [
        &mut t.backend_secret_file,
        &mut t.backend_ca_file,
        &mut t.ops.token_file,
    ]
    .into_iter()
    .flatten()
    {
        *p = base.join(&*p).display().to_string();
    }
    Ok(setup)
}

fn read(path: &Path) -> Result<String, ConfigErrors> {
    std::fs::read_to_string(path).map_err(|e| {
        ConfigErrors(vec![ConfigError {
            file: path.display().to_string(),
            line: 0,
            field: "(文件)".into(),
            message: format!("无法读取: {e}"),
        }])
    })
}
