//! Routes that need a signed-in user declare the action they perform; the
//! check runs on the server before the handler, with the one role × action
//! table of `maillage_domain::authz`. The list of guarded routes is data, so
//! the tests walk it route by route and role by role.

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Request, State};
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

/// Builds the guarded part of the router and its table.
pub struct Guarded {
    pub router: Router<AppState>,
    pub table: Vec<RouteInfo>,
}

impl Guarded {
    pub fn new() -> Guarded {
        Guarded {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    fn add(
        mut self,
        method: Method,
        path: &'static str,
        action: Action,
        route: MethodRouter<AppState>,
    ) -> Guarded {
        self.table.push(RouteInfo {
            method,
            path,
            action,
        });
        self.router = self.router.route(
            path,
            route.route_layer(middleware::from_fn_with_state(action, require)),
        );
        self
    }

    pub fn get<H, T>(self, path: &'static str, action: Action, handler: H) -> Guarded
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::GET, path, action, axum::routing::get(handler))
    }

    /// A POST route accepting a file upload (multipart, up to [`crate::UPLOAD_LIMIT`]).
    pub fn post_upload<H, T>(self, path: &'static str, action: Action, handler: H) -> Guarded
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.add(
            Method::POST,
            path,
            action,
            axum::routing::post(handler)
                .layer(axum::extract::DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
        )
    }

    pub fn post<H, T>(self, path: &'static str, action: Action, handler: H) -> Guarded
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::POST, path, action, axum::routing::post(handler))
    }
}

impl Default for Guarded {
    fn default() -> Self {
        Guarded::new()
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

pub fn guarded_routes() -> Guarded {
    crate::features::guarded_routes(Guarded::new())
}

/// Every guarded route with its action (for tests and documentation).
pub fn route_table() -> Vec<RouteInfo> {
    guarded_routes().table
}
