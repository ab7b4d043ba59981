//! Signing in and out, and the links that set or reset a password.

mod handlers;

use crate::authz::Routes;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .open_get("/login", handlers::login_form)
        .open_post("/login", handlers::login)
        .open_post("/logout", handlers::logout)
        .open_get("/password/forgot", handlers::forgot_form)
        .open_post("/password/forgot", handlers::forgot)
        .open_get("/password/reset/{token}", handlers::reset_form)
        .open_post("/password/reset/{token}", handlers::reset)
}
