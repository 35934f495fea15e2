//! Properties: the validators never panic and agree with each other on arbitrary bytes; repair
//! is idempotent; every prefix of a valid frame is refused; DHT stripping and repair round-trip
//! on random pictures; YUYV conversions keep lengths and stay close to the picture.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use proptest::prelude::*;
use scanner::frame::{mjpeg, yuyv};
use scanner::{Frame, PixelFormat};

fn small_jpeg() -> impl Strategy<Value = (u32, u32, Vec<u8>)> {
    (1u32..40, 1u32..40, any::<u64>(), 30u8..95).prop_map(|(w, h, seed, q)| {
        let image = image::RgbImage::from_fn(w, h, |x, y| {
            let v = seed
                .wrapping_mul(u64::from(x * 31 + y * 17 + 1))
                .rotate_left(x + y);
            image::Rgb([v as u8, (v >> 8) as u8, (v >> 16) as u8])
        });
        (w, h, common::jpeg(&image, q))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn parse_and_repair_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let parsed = mjpeg::parse(&bytes);
        let repaired = mjpeg::repair(&bytes);
        prop_assert_eq!(parsed.is_ok(), repaired.is_ok());
        if let Ok(r) = repaired {
            let out = r.data.unwrap_or(bytes.clone());
            let again = mjpeg::parse(&out).unwrap();
            prop_assert!(again.has_dht);
            prop_assert_eq!(again.trailing, 0);
        }
    }

    #[test]
    fn bytes_starting_like_a_jpeg_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x10, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00];
        bytes.extend(tail);
        let frame = Frame::new(PixelFormat::Mjpeg, 16, 16, bytes, 0);
        if let Ok((f, _)) = frame.repair() {
            let _ = f.to_rgb8();
        }
    }

    #[test]
    fn repair_is_idempotent_and_keeps_the_picture((w, h, data) in small_jpeg(), pad in 0usize..20) {
        let mut stripped = mjpeg::strip_dht(&data).unwrap();
        stripped.extend(std::iter::repeat_n(0u8, pad));
        let (once, repairs) = Frame::new(PixelFormat::Mjpeg, w, h, stripped, 0).repair().unwrap();
        prop_assert!(repairs.dht_inserted);
        prop_assert_eq!(repairs.trimmed, pad);
        let (twice, again) = once.clone().repair().unwrap();
        prop_assert_eq!(again, scanner::Repairs::default());
        prop_assert_eq!(&twice.data, &once.data);
        let original = Frame::new(PixelFormat::Mjpeg, w, h, data, 0).to_rgb8().unwrap();
        prop_assert_eq!(once.to_rgb8().unwrap(), original);
    }

    #[test]
    fn every_prefix_of_a_frame_is_refused((_, _, data) in small_jpeg(), cut in any::<prop::sample::Index>()) {
        let len = cut.index(data.len());
        prop_assert!(mjpeg::parse(&data[..len]).is_err());
    }

    #[test]
    fn yuyv_round_trip_keeps_lengths_and_stays_close(
        half_w in 1u32..24, h in 1u32..24, seed in any::<u64>()
    ) {
        let w = half_w * 2;
        // pairs of equal pixels: 4:2:2 loses nothing but rounding
        let rgb: Vec<u8> = (0..(w * h) as usize / 2)
            .flat_map(|i| {
                let v = seed.wrapping_mul(i as u64 + 1).rotate_left(i as u32);
                let p = [v as u8, (v >> 8) as u8, (v >> 16) as u8];
                [p[0], p[1], p[2], p[0], p[1], p[2]]
            })
            .collect();
        let packed = yuyv::from_rgb8(w, h, &rgb).unwrap();
        prop_assert_eq!(packed.len(), (w * h * 2) as usize);
        let back = yuyv::to_rgb8(w, h, &packed).unwrap();
        prop_assert_eq!(back.len(), rgb.len());
        // limited range quantises Y to 220 steps and chroma to 225: a few units, more in
        // saturated colours that fall outside the RGB cube once rounded
        let worst = back.iter().zip(&rgb).map(|(a, b)| a.abs_diff(*b)).max().unwrap_or(0);
        prop_assert!(worst <= 6, "worst {worst}");
    }

    #[test]
    fn yuyv_frames_of_any_length_are_checked(w in 0u32..20, h in 0u32..20, n in 0usize..2000) {
        let frame = Frame::new(PixelFormat::Yuyv, w, h, vec![0x80; n], 0);
        let ok = w > 0 && h > 0 && w % 2 == 0 && n == (w * h * 2) as usize;
        prop_assert_eq!(frame.check().is_ok(), ok);
        prop_assert_eq!(frame.to_rgb8().is_ok(), ok);
    }
}
