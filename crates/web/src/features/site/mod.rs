//! The site itself: language switch, robots.txt, assets, health and
//! metrics for operations.

mod language;
mod ops;

use crate::assets;
use crate::authz::Routes;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .open_get("/lang/{code}", language::switch_language)
        .open_get("/robots.txt", language::robots)
        .open_get("/healthz", ops::healthz)
        .open_get("/metrics", ops::metrics)
        .open_get("/assets/{file}", assets::serve)
        .open_get("/favicon.ico", assets::favicon)
}
