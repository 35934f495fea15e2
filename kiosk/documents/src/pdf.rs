//! Multi-page PDF of page JPEGs, embedded byte for byte (`/DCTDecode`), one image per page,
//! the page size taken from the pixel size and resolution (A4 at 200 dpi is 595.4 × 842.0 pt).
//! No dates or random ids are written, so the same pages give the same PDF bytes.

use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, TextStr};
use thiserror::Error;

use crate::pipeline::{ColourMode, Page};

/// A page for [`build`]: JPEG bytes and how to place them.
#[derive(Debug, Clone, Copy)]
pub struct PdfPage<'a> {
    /// Baseline JPEG bytes (embedded unchanged).
    pub jpeg: &'a [u8],
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Resolution; the page is `width / dpi` inches wide.
    pub dpi: u16,
    /// `Grey` → `/DeviceGray` (1-component JPEG), `Colour` → `/DeviceRGB` (3-component).
    pub colour: ColourMode,
}

impl<'a> From<&'a Page> for PdfPage<'a> {
    fn from(p: &'a Page) -> Self {
        PdfPage {
            jpeg: &p.jpeg,
            width: p.width,
            height: p.height,
            dpi: p.dpi,
            colour: p.colour,
        }
    }
}

/// Why a PDF was not built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PdfError {
    /// No pages given.
    #[error("no pages")]
    NoPages,
    /// A page has a zero or oversized dimension or resolution.
    #[error("page {0}: bad size or resolution")]
    BadPage(usize),
}

/// Builds a PDF of the pages, in order.
pub fn build(pages: &[PdfPage<'_>]) -> Result<Vec<u8>, PdfError> {
    if pages.is_empty() {
        return Err(PdfError::NoPages);
    }
    for (i, p) in pages.iter().enumerate() {
        if p.width == 0 || p.height == 0 || p.dpi == 0 || p.width > 65_535 || p.height > 65_535 {
            return Err(PdfError::BadPage(i));
        }
    }
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let info = Ref::new(3);
    let ids = |i: usize| {
        let base = 4 + 3 * i as i32;
        (Ref::new(base), Ref::new(base + 1), Ref::new(base + 2))
    };
    let image_name = Name(b"Im0");

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids((0..pages.len()).map(|i| ids(i).0))
        .count(pages.len() as i32);
    pdf.document_info(info)
        .producer(TextStr("county-kiosk documents"));

    for (i, p) in pages.iter().enumerate() {
        let (page_id, image_id, content_id) = ids(i);
        let w_pt = p.width as f32 / f32::from(p.dpi) * 72.0;
        let h_pt = p.height as f32 / f32::from(p.dpi) * 72.0;

        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, w_pt, h_pt));
        page.parent(tree);
        page.contents(content_id);
        page.resources().x_objects().pair(image_name, image_id);
        page.finish();

        let mut image = pdf.image_xobject(image_id, p.jpeg);
        image.filter(Filter::DctDecode);
        image.width(p.width as i32);
        image.height(p.height as i32);
        match p.colour {
            ColourMode::Grey => image.color_space().device_gray(),
            ColourMode::Colour => image.color_space().device_rgb(),
        };
        image.bits_per_component(8);
        image.finish();

        let mut content = Content::new();
        content.save_state();
        content.transform([w_pt, 0.0, 0.0, h_pt, 0.0, 0.0]);
        content.x_object(image_name);
        content.restore_state();
        let bytes = content.finish();
        pdf.stream(content_id, bytes.as_slice());
    }
    Ok(pdf.finish())
}

/// Builds a PDF of pipeline pages.
pub fn from_pages(pages: &[Page]) -> Result<Vec<u8>, PdfError> {
    let p: Vec<PdfPage<'_>> = pages.iter().map(PdfPage::from).collect();
    build(&p)
}
