//! # Exercise 02: three fetches
//!
//! A profile page needs three things from the API: the user, their posts and
//! their friends. Each fetch spends almost all its time *waiting* for the
//! server. Read `README.md` beside this folder for the story and what the
//! checker verifies.
//!
//! Your task: fill in `load_profile` so that the three fetches wait at the
//! same time, on one thread, and so that a failed fetch returns its error at
//! once.

use lab::profile::{FetchError, Profile, ProfileApi, UserId};

/// Loads the profile page of user `id`: their user record, their posts and
/// their friends, fetched with `api.user(id)`, `api.posts(id)` and
/// `api.friends(id)`.
///
/// If any fetch fails, return that fetch's error as soon as it arrives.
pub async fn load_profile(api: &ProfileApi, id: UserId) -> Result<Profile, FetchError> {
    // Replace this line with your code. A first version that awaits the
    // fetches one after another is a fine start: the checker will tell you
    // what it sees.
    let _ = (api, id);
    todo!()
}
