//! Routes that need a signed-in user declare the action they perform; the
//! check runs on the server before the handler, with the one role × action
//! table of `maillage_domain::authz`. The list of guarded routes is data, so
//! the tests walk it route by route and role by role.

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{MethodRouter, get, post};
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

    /// Declares a route: guarded by `action`, or open to everybody.
    fn declare(
        mut self,
        (method, path): (Method, &'static str),
        action: Option<Action>,
        route: MethodRouter<AppState>,
        body: Body,
    ) -> Routes {
        let route = body.layers(route);
        let route = match action {
            Some(action) => {
                self.table.push(RouteInfo {
                    method,
                    path,
                    action,
                });
                // The guard runs first, so a body is never read for someone
                // who may not send it.
                route.route_layer(middleware::from_fn_with_state(action, require))
            }
            None => {
                self.open.push(OpenRoute { method, path });
                route
            }
        };
        self.router = self.router.route(path, route);
        self
    }

    /// A GET route that needs `action`.
    pub fn get<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        action: Action,
        h: H,
    ) -> Routes {
        self.declare((Method::GET, path), Some(action), get(h), Body::Form)
    }

    /// A POST route that needs `action`.
    pub fn post<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        action: Action,
        h: H,
    ) -> Routes {
        self.declare((Method::POST, path), Some(action), post(h), Body::Form)
    }

    /// A POST route that needs `action` and accepts a file upload
    /// (multipart, up to [`crate::UPLOAD_LIMIT`]).
    pub fn post_upload<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        action: Action,
        h: H,
    ) -> Routes {
        self.declare((Method::POST, path), Some(action), post(h), Body::Upload)
    }

    /// A GET route open to everybody.
    pub fn open_get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Routes {
        self.declare((Method::GET, path), None, get(h), Body::Form)
    }

    /// A POST route open to everybody (CSRF still checked, see [`Body`]).
    pub fn open_post<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        h: H,
    ) -> Routes {
        self.declare((Method::POST, path), None, post(h), Body::Form)
    }

    /// A POST route open to everybody that accepts file uploads.
    pub fn open_post_upload<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        h: H,
    ) -> Routes {
        self.declare((Method::POST, path), None, post(h), Body::Upload)
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

/// The body a route takes: a form or JSON (up to [`crate::BODY_LIMIT`]), or
/// files (up to [`crate::UPLOAD_LIMIT`]). Its layer reads it, within the
/// limit, once the route is known and its guard passed, and checks the CSRF
/// token of a browser's form ([`crate::frame::csrf`]).
#[derive(Debug, Clone, Copy)]
enum Body {
    Form,
    Upload,
}

impl Body {
    fn layers(self, route: MethodRouter<AppState>) -> MethodRouter<AppState> {
        let (route, limit) = match self {
            Body::Form => (route, crate::BODY_LIMIT),
            Body::Upload => (
                route.layer(DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
                crate::UPLOAD_LIMIT,
            ),
        };
        route.route_layer(middleware::from_fn_with_state(
            crate::frame::BodyLimit(limit),
            crate::frame::csrf,
        ))
    }
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
