//! The vendor-library photo seam, end to end: a stand-in `libwlt2bmp.so` with the vendor ABI
//! is compiled with the system C compiler, loaded by path and called. (No real decoder is
//! open source; this proves the loading, the call, the BGR→RGB turn and the failure paths.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use idcard::device::samples;
use idcard::photo::{NoPhotoDecoder, PhotoDecoder, PhotoError, WltPhoto};
use idcard::vendor_photo::{PHOTO_HEIGHT, PHOTO_WIDTH, VendorPhotoDecoder};
use std::path::PathBuf;
use std::process::Command;

const STAND_IN: &str = r#"
int wlt2Bmp(const unsigned char *wlt, unsigned char *bgr) {
    /* a blue-green-red pixel pattern keyed on the input, so a test can see it ran */
    for (int i = 0; i < 102 * 126; i++) {
        bgr[i * 3 + 0] = 200;            /* blue */
        bgr[i * 3 + 1] = wlt[7];         /* green: from the input */
        bgr[i * 3 + 2] = 10;             /* red */
    }
    return 1;
}
int failing(const unsigned char *wlt, unsigned char *bgr) { (void)wlt; (void)bgr; return -3; }
int silent(const unsigned char *wlt, unsigned char *bgr) { (void)wlt; (void)bgr; return 0; }
"#;

/// Builds the stand-in into a directory of its own per test: the tests run in parallel, and
/// one test loading the library while another rewrites it reads a half-written file.
fn stand_in_library(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("idcard-vendor-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = dir.join("wlt.c");
    let library = dir.join("libwlt2bmp.so");
    std::fs::write(&source, STAND_IN).unwrap();
    let status = Command::new("cc")
        .args(["-shared", "-fPIC", "-o"])
        .arg(&library)
        .arg(&source)
        .status()
        .expect("a C compiler (cc) to build the stand-in decoder");
    assert!(status.success());
    library
}

#[test]
fn a_loaded_decoder_turns_wlt_into_rgb() {
    let decoder = VendorPhotoDecoder::load(&stand_in_library("decode"), "wlt2Bmp").unwrap();
    let photo = samples::photo();
    let image = decoder.decode(&photo).unwrap();
    assert_eq!((image.width(), image.height()), (PHOTO_WIDTH, PHOTO_HEIGHT));
    let first = &image.pixels()[..3];
    assert_eq!(
        first,
        &[10, photo.as_bytes()[7], 200],
        "BGR turned into RGB"
    );
}

#[test]
fn failures_are_values() {
    let library = stand_in_library("failures");
    let failing = VendorPhotoDecoder::load(&library, "failing").unwrap();
    assert!(matches!(
        failing.decode(&samples::photo()),
        Err(PhotoError::Failed(_))
    ));
    let silent = VendorPhotoDecoder::load(&library, "silent").unwrap();
    assert!(matches!(
        silent.decode(&samples::photo()),
        Err(PhotoError::Failed(_))
    ));
    let decoder = VendorPhotoDecoder::load(&library, "wlt2Bmp").unwrap();
    assert_eq!(
        decoder.decode(&WltPhoto::new(vec![0; 1024])),
        Err(PhotoError::NotWlt),
        "no call without the WLf magic"
    );
    assert!(matches!(
        VendorPhotoDecoder::load(&library, "no_such_symbol"),
        Err(PhotoError::Failed(_))
    ));
    assert!(matches!(
        VendorPhotoDecoder::load(std::path::Path::new("/nonexistent/libwlt.so"), "wlt2Bmp"),
        Err(PhotoError::Failed(_))
    ));
    assert_eq!(
        NoPhotoDecoder.decode(&samples::photo()),
        Err(PhotoError::Unavailable)
    );
}
