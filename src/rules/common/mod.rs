//! What several rules share and that is not a rule itself.

pub mod missing_response;
pub mod request_limits;
