//! Calls for participation and applications, public side: the call's page
//! with its deadline (`page`) and answering it (`answer`).

pub(crate) mod answer;
pub(crate) mod page;
