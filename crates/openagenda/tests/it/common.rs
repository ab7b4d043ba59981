//! Access to the real data files in `shared/data`, beside the work tree.

use std::path::PathBuf;

/// Reads `shared/data/<rel>`. Fails the test, with a message saying where the
/// file was looked for, when it is absent: these tests mean nothing without
/// the real files.
pub fn data(rel: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "real data file missing: cannot read {} ({e}). These tests need the public \
             OpenAgenda and Fête de la science files of shared/data/ (see shared/data/README.md), \
             laid beside the work tree.",
            path.display()
        )
    })
}

pub fn json(rel: &str) -> serde_json::Value {
    serde_json::from_slice(&data(rel)).unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"))
}

pub const TCHEQUE: &str = "openagenda/tcheque-events.json";
pub const ALBI: &str = "openagenda/albi-events.json";
pub const DETAILED_LOCATION: &str = "openagenda/event-detailed-location.json";
pub const ONLINE: &str = "openagenda/event-online-attendance.json";
pub const REGISTRATION_LINK: &str = "openagenda/event-with-registration-link.json";
pub const FETE_SCIENCE: &str = "fete-de-la-science/fr-esr-fete-de-la-science-17.size-100.json";
