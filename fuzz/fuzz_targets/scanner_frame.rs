//! Arbitrary bytes as a 高拍仪 frame: through the MJPEG marker walk, the DHT repair and strip,
//! the frame checks, the YUYV conversions, and — for frames that pass — the decoder.
//!
//! Input layout: a flags byte (bit 0: YUYV, else MJPEG), a width byte and a height byte (each
//! `b % 64 + 1`, so decoding stays cheap), then the frame bytes. Checks, besides "no panic":
//! the walk and the repair agree; a repaired frame walks again, has DHT, no trailing bytes,
//! and needs no second repair; a frame without its DHT repairs to a frame with it; the frame
//! checks agree with the walk; YUYV conversions succeed exactly for frames of the right length
//! and keep lengths.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scanner::frame::{mjpeg, yuyv};
use scanner::{Frame, PixelFormat};

fuzz_target!(|data: &[u8]| {
    let Some((&[flags, w, h], bytes)) = data.split_first_chunk::<3>() else {
        return;
    };
    let width = u32::from(w % 64) + 1;
    let height = u32::from(h % 64) + 1;

    // the marker walk and the repair, on the bytes whatever the format byte says
    let parsed = mjpeg::parse(bytes);
    let repaired = mjpeg::repair(bytes);
    assert_eq!(parsed.is_ok(), repaired.is_ok());
    if let (Ok(info), Ok(r)) = (&parsed, &repaired) {
        assert_eq!(r.info, *info);
        assert_eq!(r.dht_inserted, !info.has_dht);
        assert_eq!(r.trimmed, info.trailing);
        let out = r.data.clone().unwrap_or_else(|| bytes.to_vec());
        let again = mjpeg::parse(&out).expect("a repaired frame walks");
        assert!(again.has_dht);
        assert_eq!(again.trailing, 0);
        assert_eq!((again.width, again.height), (info.width, info.height));
        let second = mjpeg::repair(&out).expect("a repaired frame repairs");
        assert_eq!(second.data, None, "a second repair changed something");
        let stripped = mjpeg::strip_dht(bytes).expect("a walking frame strips");
        let info_stripped = mjpeg::parse(&stripped).expect("a stripped frame walks");
        assert!(!info_stripped.has_dht);
        assert!(mjpeg::repair(&stripped).expect("and repairs").dht_inserted);
    } else {
        assert!(mjpeg::strip_dht(bytes).is_err());
    }

    let format = if flags & 1 == 1 {
        PixelFormat::Yuyv
    } else {
        PixelFormat::Mjpeg
    };
    let frame = Frame::new(format, width, height, bytes.to_vec(), 0);
    let checked = frame.check();
    match format {
        PixelFormat::Mjpeg => {
            let fits = parsed
                .as_ref()
                .is_ok_and(|i| (i.width, i.height) == (width, height));
            assert_eq!(checked.is_ok(), fits);
        }
        PixelFormat::Yuyv => {
            let fits = width % 2 == 0 && bytes.len() == (width * height * 2) as usize;
            assert_eq!(checked.is_ok(), fits);
            let rgb = yuyv::to_rgb8(width, height, bytes);
            assert_eq!(rgb.is_ok(), fits);
            if let Ok(rgb) = rgb {
                assert_eq!(rgb.len(), (width * height * 3) as usize);
                let back = yuyv::from_rgb8(width, height, &rgb).expect("RGB of the right length");
                assert_eq!(back.len(), bytes.len());
                let luma = yuyv::to_luma(width, height, bytes).expect("luma");
                assert_eq!(luma.len(), (width * height) as usize);
            }
        }
    }
    match frame.repair() {
        Ok((fixed, _)) => {
            assert!(checked.is_ok());
            assert!(fixed.check().is_ok());
            // at most 64 x 64: decoding is cheap; damage inside the scan is an error value
            if let Ok(rgb) = fixed.to_rgb8() {
                assert_eq!(rgb.len(), (width * height * 3) as usize);
            }
        }
        Err(_) => assert!(checked.is_err()),
    }
});
