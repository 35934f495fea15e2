//! The skeleton's in-process card source: the dev dock places one of the sample people on
//! the "reader", and the session gets `CardPresented` once it has enabled the reader —
//! exactly when a real reader would find the card. A reader fault can be toggled too.

use kiosk_core::identity::Identity;
use kiosk_core::samples::SAMPLE_PEOPLE;

/// What a simulated card reader reports back to the controller.
#[derive(Debug)]
pub enum CardEvent {
    /// A card was read.
    Presented(Identity),
    /// The card was taken away.
    Removed,
}

/// The simulated reader's state.
#[derive(Debug, Default)]
pub struct SimCardReader {
    enabled: bool,
    card: Option<usize>,
    delivered: bool,
    faulty: bool,
}

impl SimCardReader {
    /// Labels for the dev dock buttons (masked names, never the full number).
    pub fn people() -> Vec<String> {
        SAMPLE_PEOPLE
            .iter()
            .map(|p| format!("{}（{}）", p.name, p.gender.label()))
            .collect()
    }

    /// Places sample person `index` on the reader.
    pub fn place(&mut self, index: usize) -> Option<CardEvent> {
        if index >= SAMPLE_PEOPLE.len() {
            return None;
        }
        self.card = Some(index);
        self.delivered = false;
        self.poll()
    }

    /// Takes the card away.
    pub fn remove(&mut self) -> Option<CardEvent> {
        let had = self.card.take().is_some();
        self.delivered = false;
        had.then_some(CardEvent::Removed)
    }

    /// The session enabled or disabled reading.
    pub fn set_enabled(&mut self, enabled: bool) -> Option<CardEvent> {
        self.enabled = enabled;
        if !enabled {
            // a card left on the reader is read again next time, as a real reader does
            self.delivered = false;
        }
        self.poll()
    }

    /// Toggles a simulated reader fault; returns the new state.
    pub fn toggle_fault(&mut self) -> bool {
        self.faulty = !self.faulty;
        self.faulty
    }

    /// Whether a card lies on the reader.
    pub fn card_present(&self) -> bool {
        self.card.is_some()
    }

    /// Whether the reader is simulated faulty.
    pub fn faulty(&self) -> bool {
        self.faulty
    }

    fn poll(&mut self) -> Option<CardEvent> {
        match self.card {
            Some(i) if self.enabled && !self.delivered && !self.faulty => {
                self.delivered = true;
                SAMPLE_PEOPLE
                    .get(i)
                    .map(|p| CardEvent::Presented(p.identity()))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_is_read_only_while_enabled_and_only_once() {
        let mut r = SimCardReader::default();
        assert!(r.place(0).is_none(), "reader not enabled yet");
        assert!(matches!(r.set_enabled(true), Some(CardEvent::Presented(_))));
        assert!(r.set_enabled(true).is_none(), "delivered once");
        assert!(matches!(r.remove(), Some(CardEvent::Removed)));
        assert!(r.remove().is_none());
    }

    #[test]
    fn a_faulty_reader_reads_nothing() {
        let mut r = SimCardReader::default();
        r.toggle_fault();
        r.set_enabled(true);
        assert!(r.place(1).is_none());
    }
}
