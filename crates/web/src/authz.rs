//! Routes that need a signed-in user declare the action they perform; the
//! check runs on the server before the handler, with the one role × action
//! table of `maillage_domain::authz`. The list of guarded routes is data, so
//! the tests walk it route by route and role by role.

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::MethodRouter;
use maillage_domain::authz::{self, Action};

/// One guarded route.
#[derive(Debug, Clone)]
pub struct RouteInfo {
    pub method: Method,
    pub path: &'static str,
    pub action: Action,
}

/// One route open to everybody (the public site, the public API, sign-in).
#[derive(Debug, Clone)]
pub struct OpenRoute {
    pub method: Method,
    pub path: &'static str,
}

/// The routes of a feature: each one declared with the action it needs
/// (checked on the server before the handler) or as open to everybody.
/// Every feature module builds its own in `routes()`; the router merges
/// them, and the tables feed the role × action tests and the API checks.
pub struct Routes {
    pub(crate) router: Router<AppState>,
    pub table: Vec<RouteInfo>,
    pub open: Vec<OpenRoute>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes {
            router: Router::new(),
            table: Vec::new(),
            open: Vec::new(),
        }
    }

    fn add(
        mut self,
        method: Method,
        path: &'static str,
        action: Action,
        route: MethodRouter<AppState>,
        limit: usize,
    ) -> Routes {
        self.table.push(RouteInfo {
            method,
            path,
            action,
        });
        // The guard runs first, so a body is never read for someone who
        // may not send it.
        self.router = self.router.route(
            path,
            with_body(route, limit).route_layer(middleware::from_fn_with_state(action, require)),
        );
        self
    }

    fn add_open(
        mut self,
        method: Method,
        path: &'static str,
        route: MethodRouter<AppState>,
        limit: usize,
    ) -> Routes {
        self.open.push(OpenRoute { method, path });
        self.router = self.router.route(path, with_body(route, limit));
        self
    }

    /// A GET route that needs `action`.
    pub fn get<H, T>(self, path: &'static str, action: Action, handler: H) -> Routes
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.add(
            Method::GET,
            path,
            action,
            axum::routing::get(handler),
            crate::BODY_LIMIT,
        )
    }

    /// A POST route that needs `action`.
    pub fn post<H, T>(self, path: &'static str, action: Action, handler: H) -> Routes
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.add(
            Method::POST,
            path,
            action,
            axum::routing::post(handler),
            crate::BODY_LIMIT,
        )
    }

    /// A POST route that needs `action` and accepts a file upload
    /// (multipart, up to [`crate::UPLOAD_LIMIT`]).
    pub fn post_upload<H, T>(self, path: &'static str, action: Action, handler: H) -> Routes
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.add(
            Method::POST,
            path,
            action,
            axum::routing::post(handler).layer(DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
            crate::UPLOAD_LIMIT,
        )
    }

    /// A GET route open to everybody.
    pub fn open_get<H, T>(self, path: &'static str, handler: H) -> Routes
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.add_open(
            Method::GET,
            path,
            axum::routing::get(handler),
            crate::BODY_LIMIT,
        )
    }

    /// A POST route open to everybody (CSRF still checked by the frame).
    pub fn open_post<H, T>(self, path: &'static str, handler: H) -> Routes
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.add_open(
            Method::POST,
            path,
            axum::routing::post(handler),
            crate::BODY_LIMIT,
        )
    }

    /// A POST route open to everybody that accepts file uploads.
    pub fn open_post_upload<H, T>(self, path: &'static str, handler: H) -> Routes
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.add_open(
            Method::POST,
            path,
            axum::routing::post(handler).layer(DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
            crate::UPLOAD_LIMIT,
        )
    }

    /// The routes of another feature beside these.
    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.table.extend(other.table);
        self.open.extend(other.open);
        self
    }
}

impl Default for Routes {
    fn default() -> Self {
        Routes::new()
    }
}

/// The body layer of a route: its limit, its CSRF check.
fn with_body(route: MethodRouter<AppState>, limit: usize) -> MethodRouter<AppState> {
    route.route_layer(middleware::from_fn_with_state(
        crate::frame::BodyLimit(limit),
        crate::frame::csrf,
    ))
}

async fn require(
    State(action): State<Action>,
    req: Request,
    next: Next,
) -> Result<Response, AppError> {
    let ctx = req
        .extensions()
        .get::<Ctx>()
        .ok_or_else(|| AppError::internal("request context missing"))?;
    match &ctx.user {
        None => Err(AppError::Unauthenticated),
        Some(user) if !authz::allows(user.role, action) => Err(AppError::Forbidden),
        Some(_) => Ok(next.run(req).await),
    }
}

/// Every route that needs an account, with its action (for tests and
/// documentation).
pub fn route_table() -> Vec<RouteInfo> {
    crate::features::routes().table
}

/// Every route open to everybody.
pub fn open_route_table() -> Vec<OpenRoute> {
    crate::features::routes().open
}
