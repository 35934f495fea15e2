//! The 高拍仪 for the app: the `scanner` driver on its own thread. Today only the simulated
//! camera is fitted (simulated devices); the maintenance menu's 拍摄测试 takes a still with it.
//! The capture screens per 申请材料 and a real camera's configuration come with issue 7.

use scanner::driver::{CounterValues, DriverConfig, ScannerEvent, ScannerEvents};
use scanner::sim::test_page;
use scanner::{Driver, Health, SimConfig, SimHandle, Still};

/// The document camera and its events.
pub struct DocumentCamera {
    driver: Driver,
    events: ScannerEvents,
    sim: Option<SimHandle>,
}

impl DocumentCamera {
    /// The simulated 5 Mpx camera with a generated A4 page on the desk.
    pub fn simulated() -> DocumentCamera {
        let config = SimConfig::default();
        let (w, h) = config
            .modes
            .first()
            .map_or((2592, 1944), |m| (m.size.width, m.size.height));
        let sim = SimHandle::with_config(Box::new(Still::new(test_page(w, h))), config);
        let (driver, events, _preview) =
            Driver::spawn(Box::new(sim.connector()), DriverConfig::default());
        DocumentCamera {
            driver,
            events,
            sim: Some(sim),
        }
    }

    /// Asks for one still at full resolution; its id comes back with the result.
    pub fn capture(&self) -> u64 {
        self.driver.capture()
    }

    /// The next event, if one is waiting.
    pub fn try_next(&mut self) -> Option<ScannerEvent> {
        self.events.try_recv().ok()
    }

    /// The driver's health now.
    pub fn health(&self) -> Health {
        self.driver.health()
    }

    /// The driver's counters.
    pub fn counters(&self) -> CounterValues {
        self.driver.counters()
    }

    /// The simulated camera, when simulated (tests unplug it).
    pub fn sim(&self) -> Option<&SimHandle> {
        self.sim.as_ref()
    }
}
