//! The ID-card reader for the app: the `idcard` driver against the configured serial port,
//! or against the `idcard` simulator (the dev dock's card buttons and faults), and the
//! mapping from what the card says to the session's [`Identity`].

use idcard::CardData;
use idcard::card::{CardDate, CardText, DocumentNumber, Gender, Nation, ResidentCard, ValidUntil};
use idcard::device::ScriptedCard;
use idcard::driver::{
    CounterValues, DeviceState, Driver, DriverConfig, ReadFailure, ReaderEvent, serial_opener,
};
use idcard::photo::{NoPhotoDecoder, PhotoDecoder, PhotoError, RgbImage};
use idcard::sim::{DuplexPlug, SimHandle};
use idcard::vendor_photo::VendorPhotoDecoder;
use kiosk_core::identity::{self, Identity};
use kiosk_core::personal::{PersonName, PersonalText};
use kiosk_core::samples::{SAMPLE_PEOPLE, SamplePerson};
use kiosk_core::session::{CardReadFailure, DeviceHealth, Event};
use std::path::Path;
use tokio::sync::mpsc::UnboundedReceiver;

/// The reader: the running driver, and the simulator when devices are simulated.
pub struct CardReader {
    driver: Driver,
    photos: Box<dyn PhotoDecoder>,
    events: UnboundedReceiver<ReaderEvent>,
    sim: Option<SimHandle>,
    // the simulator's end of the cable; its serving threads stop with us
    _plug: Option<DuplexPlug>,
}

impl CardReader {
    /// The real driver on a serial port.
    pub fn serial(port: &str, baud: u32) -> Self {
        let (driver, events) =
            Driver::spawn(serial_opener(port.into(), baud), DriverConfig::default());
        Self {
            driver,
            photos: Box::new(NoPhotoDecoder),
            events,
            sim: None,
            _plug: None,
        }
    }

    /// The real driver against the simulator, over an in-memory link.
    pub fn simulated() -> Self {
        let sim = SimHandle::new();
        let plug = DuplexPlug::new(sim.clone());
        let (driver, events) = Driver::spawn(plug.opener(), DriverConfig::default());
        Self {
            driver,
            photos: Box::new(NoPhotoDecoder),
            events,
            sim: Some(sim),
            _plug: Some(plug),
        }
    }

    /// Uses the vendor's photo decoder at `path` (see [`VendorPhotoDecoder`]).
    pub fn use_photo_decoder(&mut self, path: &str) -> Result<(), PhotoError> {
        self.photos = Box::new(VendorPhotoDecoder::load(Path::new(path), "wlt2Bmp")?);
        Ok(())
    }

    /// The card's photo, when a decoder is installed and the photo decodes.
    pub fn photo(&self, card: &CardData) -> Option<RgbImage> {
        card.decode_photo(self.photos.as_ref()).ok()
    }

    /// The simulator's control panel, when simulated.
    pub fn sim(&self) -> Option<&SimHandle> {
        self.sim.as_ref()
    }

    /// The next driver event, if one is waiting.
    pub fn try_next(&mut self) -> Option<ReaderEvent> {
        self.events.try_recv().ok()
    }

    /// The driver's counters.
    pub fn counters(&self) -> CounterValues {
        self.driver.counters()
    }
}

/// The session event for a driver event.
pub fn session_event(event: ReaderEvent) -> Event {
    match event {
        ReaderEvent::CardPresented(card) => match identity_of(&card) {
            Some(identity) => Event::CardPresented(identity),
            // a permit this terminal cannot serve yet reads as a card it cannot use
            None => Event::CardReadFailed(CardReadFailure::Unreadable),
        },
        ReaderEvent::CardDetected => Event::CardDetected,
        ReaderEvent::CardRemoved => Event::CardRemoved,
        ReaderEvent::ReadFailed(ReadFailure::ReplaceCard(_)) => {
            Event::CardReadFailed(CardReadFailure::CardMoved)
        }
        ReaderEvent::ReadFailed(ReadFailure::Unparseable(_)) => {
            Event::CardReadFailed(CardReadFailure::Unreadable)
        }
        ReaderEvent::State(state) => Event::DeviceStatus(
            kiosk_core::session::Device::CardReader,
            match state {
                DeviceState::Ready => DeviceHealth::Ready,
                DeviceState::Disconnected | DeviceState::Fault(_) => DeviceHealth::Fault,
            },
        ),
    }
}

/// The session's identity for a card: resident cards and 港澳台居民居住证 (whose number is a
/// GB 11643 number). Foreign permanent-residence cards are not served yet.
pub fn identity_of(card: &CardData) -> Option<Identity> {
    match &card.text {
        CardText::Resident(resident) => resident.to_identity(),
        CardText::HmtPermit(permit) => permit.to_identity(),
        CardText::Foreign2017(_) | CardText::Foreign2023(_) => None,
    }
}

/// The dev dock's sample cards: the core's sample people as the reader's card bytes.
pub fn sample_card(person: &SamplePerson) -> Option<ScriptedCard> {
    let date = CardDate::parse_compact;
    let uyghur = person.name.contains('·');
    let text = CardText::Resident(ResidentCard {
        name: PersonName::new(person.name),
        gender: match person.gender {
            identity::Gender::Male => Gender::Male,
            identity::Gender::Female => Gender::Female,
        },
        // 05 维吾尔 (GB/T 3304)
        nation: if uyghur {
            Nation::from_code(5)?
        } else {
            Nation::HAN
        },
        birth_date: date(person.birth)?,
        address: PersonalText::new(person.address),
        id_number: DocumentNumber::new(person.id_number()),
        issuer: PersonalText::new(person.issuer),
        valid_from: date("20160501")?,
        valid_until: if person.birth < "19700101" {
            ValidUntil::LongTerm
        } else {
            ValidUntil::Date(date("20360501")?)
        },
    });
    ScriptedCard::new(&text).ok()
}

/// Places sample person `index` on the simulated reader; false if there is no such person.
pub fn place_sample(sim: &SimHandle, index: usize) -> bool {
    match SAMPLE_PEOPLE.get(index).and_then(sample_card) {
        Some(card) => {
            sim.place_card(card);
            true
        }
        None => false,
    }
}

/// Labels for the dev dock's card buttons: the sample people's names and genders (fictional
/// people; never their numbers).
pub fn dock_labels() -> Vec<String> {
    SAMPLE_PEOPLE
        .iter()
        .map(|p| format!("{}（{}）", p.name, p.gender.label()))
        .collect()
}
