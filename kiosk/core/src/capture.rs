//! 材料拍摄: the 申请材料 of a matter that the citizen lays under the 高拍仪, and the pages
//! taken of them in one session.
//!
//! The county's catalog names the slots (`[[matter.capture]]`); the session keeps, per slot,
//! references to the pages taken (their SHA-256 and size), never the pictures: the app holds
//! the bytes and drops them when the session is wiped. A submission carries the references,
//! and the app sends each distinct page once.

use serde::Deserialize;

/// How a material is filmed and turned into a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaptureKind {
    /// An A4 sheet of text or a form (户口簿 pages too): grey, paper evened out to white.
    A4,
    /// An A4 sheet where colour matters (a red 公章, a colour certificate).
    A4Colour,
    /// An ID-1 card (身份证, 社保卡, bank card), or a card-sized photo: colour.
    IdCard,
}

impl CaptureKind {
    /// What the citizen is told to lay down, for the capture screen.
    pub fn hint(self) -> &'static str {
        match self {
            CaptureKind::A4 | CaptureKind::A4Colour => "请将材料正面朝上，平放在拍摄区内",
            CaptureKind::IdCard => "请将卡片或照片正面朝上，放在拍摄区中央",
        }
    }
}

/// One 申请材料 the terminal captures for a matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureSlot {
    /// The material, exactly as the guide's 申请材料 lists it.
    pub material: String,
    /// How it is filmed.
    pub kind: CaptureKind,
    /// Whether the application cannot go on without at least one page of it.
    pub required: bool,
    /// Most pages the citizen may take of it (户口簿: 首页 and 本人页).
    pub max_pages: u8,
}

/// Most pages one submission carries over all its slots (the county API's limit).
pub const MAX_PAGES_PER_SUBMISSION: usize = 16;

/// Most pages of one material.
pub const MAX_PAGES_PER_SLOT: u8 = 8;

/// A page taken: what the session needs to know of it, nothing of what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRef {
    /// SHA-256 of the page's JPEG, lowercase hex: the app's key to the bytes, and the
    /// attachment's name at the county.
    pub sha256: String,
    /// Size of the JPEG in bytes.
    pub bytes: u64,
}

/// The pages of one material, as a submission carries them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapturedMaterial {
    /// The material's name (the slot's).
    pub material: String,
    /// Its pages, in the order taken.
    pub pages: Vec<PageRef>,
}

/// Why a capture gave no page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureFailure {
    /// The picture was taken but is no good (blank, blurred, no page found): the text tells
    /// the citizen what to do (请将材料放平后重新拍摄).
    Rejected(String),
    /// The camera gave no picture (unplugged, stalled).
    Camera,
}

/// What the capture screen says about the last capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureStatus {
    /// Waiting for the citizen to lay the material down and press 拍摄.
    Ready,
    /// A picture is being taken and processed: the material must not move.
    Taking,
    /// The last page was taken.
    Taken,
    /// The last capture was no good; the text says why and what to do.
    Rejected(String),
    /// The camera gave no picture.
    CameraFailed,
}

/// The pages taken so far for each slot of the matter on screen.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Captures {
    pages: Vec<Vec<PageRef>>,
    selected: usize,
    status: Option<CaptureStatus>,
    /// The page a 重拍 replaces, once the new one arrives: (slot, index).
    replacing: Option<(usize, usize)>,
}

impl Captures {
    /// Empty slots for `slots`, the first selected.
    pub fn for_slots(slots: &[CaptureSlot]) -> Captures {
        Captures {
            pages: vec![Vec::new(); slots.len()],
            selected: 0,
            status: Some(CaptureStatus::Ready),
            replacing: None,
        }
    }

    /// The pages of slot `i`.
    pub fn pages(&self, i: usize) -> &[PageRef] {
        self.pages.get(i).map_or(&[], Vec::as_slice)
    }

    /// The slot being filled.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// What the screen says about the last capture.
    pub fn status(&self) -> CaptureStatus {
        self.status.clone().unwrap_or(CaptureStatus::Ready)
    }

    /// Whether a capture is under way (a second press is not a second picture).
    pub fn taking(&self) -> bool {
        self.status == Some(CaptureStatus::Taking)
    }

    /// Pages over all slots.
    pub fn total_pages(&self) -> usize {
        self.pages.iter().map(Vec::len).sum()
    }

    /// Chooses the slot to fill.
    pub fn select(&mut self, i: usize) -> bool {
        if i >= self.pages.len() || self.taking() {
            return false;
        }
        self.selected = i;
        self.status = Some(CaptureStatus::Ready);
        true
    }

    /// Whether 拍摄 may add a page to the selected slot.
    pub fn can_take(&self, slots: &[CaptureSlot]) -> bool {
        !self.taking()
            && slots
                .get(self.selected)
                .is_some_and(|s| self.pages(self.selected).len() < usize::from(s.max_pages))
            && self.total_pages() < MAX_PAGES_PER_SUBMISSION
    }

    /// Whether 重拍 may replace the selected slot's last page.
    pub fn can_retake(&self) -> bool {
        !self.taking() && !self.pages(self.selected).is_empty()
    }

    /// A capture starts: to add a page, or (`retake`) to replace the selected slot's last.
    pub fn begin(&mut self, retake: bool) {
        self.replacing = retake
            .then(|| self.pages(self.selected).len().checked_sub(1))
            .flatten()
            .map(|page| (self.selected, page));
        self.status = Some(CaptureStatus::Taking);
    }

    /// The capture's outcome arrives.
    pub fn finish(&mut self, outcome: Result<PageRef, CaptureFailure>) {
        let replacing = self.replacing.take();
        match outcome {
            Ok(page) => {
                match replacing {
                    Some((slot, i)) if i < self.pages(slot).len() => self.pages[slot][i] = page,
                    _ => {
                        if let Some(pages) = self.pages.get_mut(self.selected) {
                            pages.push(page);
                        }
                    }
                }
                self.status = Some(CaptureStatus::Taken);
            }
            Err(CaptureFailure::Rejected(why)) => self.status = Some(CaptureStatus::Rejected(why)),
            Err(CaptureFailure::Camera) => self.status = Some(CaptureStatus::CameraFailed),
        }
    }

    /// Removes page `page` of the selected slot.
    pub fn remove(&mut self, page: usize) -> bool {
        if self.taking() || page >= self.pages(self.selected).len() {
            return false;
        }
        self.pages[self.selected].remove(page);
        self.status = Some(CaptureStatus::Ready);
        true
    }

    /// The first required slot with no page, if any (下一步 waits for it).
    pub fn missing(&self, slots: &[CaptureSlot]) -> Option<usize> {
        slots
            .iter()
            .enumerate()
            .find(|(i, s)| s.required && self.pages(*i).is_empty())
            .map(|(i, _)| i)
    }

    /// Points at `slot` with a message, when 下一步 was pressed too early.
    pub fn point_at(&mut self, slot: usize, why: String) {
        if slot < self.pages.len() {
            self.selected = slot;
        }
        self.status = Some(CaptureStatus::Rejected(why));
    }

    /// The materials with pages, for the submission.
    pub fn materials(&self, slots: &[CaptureSlot]) -> Vec<CapturedMaterial> {
        slots
            .iter()
            .zip(&self.pages)
            .filter(|(_, pages)| !pages.is_empty())
            .map(|(slot, pages)| CapturedMaterial {
                material: slot.material.clone(),
                pages: pages.clone(),
            })
            .collect()
    }

    /// Whether any page was taken.
    pub fn is_empty(&self) -> bool {
        self.total_pages() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots() -> Vec<CaptureSlot> {
        vec![
            CaptureSlot {
                material: "户口簿".into(),
                kind: CaptureKind::A4,
                required: true,
                max_pages: 2,
            },
            CaptureSlot {
                material: "照片".into(),
                kind: CaptureKind::IdCard,
                required: false,
                max_pages: 1,
            },
        ]
    }

    fn page(n: u8) -> PageRef {
        PageRef {
            sha256: format!("{n:064x}"),
            bytes: 1000,
        }
    }

    #[test]
    fn retake_replaces_the_last_page_and_limits_hold() {
        let s = slots();
        let mut c = Captures::for_slots(&s);
        assert_eq!(c.missing(&s), Some(0));
        c.begin(false);
        assert!(!c.can_take(&s), "no second capture while one is under way");
        c.finish(Ok(page(1)));
        c.begin(false);
        c.finish(Ok(page(2)));
        assert!(!c.can_take(&s), "户口簿 takes two pages");
        c.begin(true);
        c.finish(Ok(page(3)));
        assert_eq!(c.pages(0), &[page(1), page(3)]);
        c.begin(true);
        c.finish(Err(CaptureFailure::Rejected(
            "请将材料放平后重新拍摄".into(),
        )));
        assert_eq!(
            c.pages(0),
            &[page(1), page(3)],
            "a failed retake keeps the page"
        );
        assert_eq!(c.missing(&s), None);
        assert_eq!(
            c.materials(&s).len(),
            1,
            "the empty optional slot is not sent"
        );
    }
}
