//! # Exercise 02, solved: three fetches
//!
//! The three fetches do not depend on each other, so there is no reason to
//! wait for one before starting the next. Awaiting them one after another
//! costs the *sum* of their latencies (100 + 200 + 300 = 600 ms); starting
//! all three and waiting for them together costs only the *slowest*
//! (300 ms). That is concurrency: one thread, one juggler, three balls in
//! the air.

use lab::profile::{FetchError, Profile, ProfileApi, UserId};

/// Loads the profile page of user `id` with the three fetches in flight at
/// once.
pub async fn load_profile(api: &ProfileApi, id: UserId) -> Result<Profile, FetchError> {
    // `api.user(id)` on its own does nothing yet: an async call returns a
    // future, a description of work that runs only when polled.
    //
    // `tokio::try_join!` polls the three futures together on *this* task and
    // *this* thread. Whenever one of them has to wait, it hands control back
    // and `try_join!` polls the others, so all three waits overlap.
    //
    // The `try_` part: as soon as any future returns `Err`, `try_join!` stops
    // and returns that error, dropping (cancelling) the fetches still in
    // flight. Nobody waits for a slow `friends` when `posts` already failed,
    // and it does not matter which fetch fails or whether it answers first
    // or second: every error is seen the moment it arrives.
    //
    // Nothing here blocks: no `std::thread::sleep`, no std lock or channel,
    // no `block_on`. Each `.await` hands the thread back to the runtime, so
    // a blocked moment never freezes the other fetches (or, on the
    // checker's paused clock, the clock itself).
    // https://docs.rs/tokio/latest/tokio/macro.try_join.html
    let (user, posts, friends) = tokio::try_join!(api.user(id), api.posts(id), api.friends(id))?;
    Ok(Profile {
        user,
        posts,
        friends,
    })
}
