//! QR codes as Slint images (在线办理 and 进度查询 links on the guide, 扫码评价 on the result and
//! receipt screens).

use std::cell::RefCell;

use qrcode::{Color, EcLevel, QrCode};
use slint::{Image, Rgb8Pixel, SharedPixelBuffer};

/// How many recent codes are kept: the screens re-project many times a second, and a code
/// stays the same while its screen shows.
const CACHED: usize = 4;

thread_local! {
    static RECENT: RefCell<Vec<(String, u32, Image)>> = const { RefCell::new(Vec::new()) };
}

/// Renders `data` as a black-on-white QR image with a 4-module quiet zone, `scale` pixels
/// per module, reusing the image of a recent identical request. Returns `None` if the data
/// does not fit a QR code.
pub fn image(data: &str, scale: u32) -> Option<Image> {
    let hit = RECENT.with_borrow(|recent| {
        recent
            .iter()
            .find(|(d, s, _)| d == data && *s == scale)
            .map(|(_, _, image)| image.clone())
    });
    if hit.is_some() {
        return hit;
    }
    let image = render(data, scale)?;
    RECENT.with_borrow_mut(|recent| {
        if recent.len() == CACHED {
            recent.remove(0);
        }
        recent.push((data.to_string(), scale, image.clone()));
    });
    Some(image)
}

fn render(data: &str, scale: u32) -> Option<Image> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).ok()?;
    let modules = u32::try_from(code.width()).ok()?;
    let quiet = 4;
    let side = (modules + 2 * quiet) * scale;
    let mut buffer = SharedPixelBuffer::<Rgb8Pixel>::new(side, side);
    let colors = code.to_colors();
    let pixels = buffer.make_mut_slice();
    for (i, px) in pixels.iter_mut().enumerate() {
        let (x, y) = ((i as u32 % side) / scale, (i as u32 / side) / scale);
        let dark = x >= quiet
            && y >= quiet
            && x < modules + quiet
            && y < modules + quiet
            && colors[((y - quiet) * modules + (x - quiet)) as usize] == Color::Dark;
        let v = if dark { 0 } else { 255 };
        *px = Rgb8Pixel { r: v, g: v, b: v };
    }
    Some(Image::from_rgb8(buffer))
}
