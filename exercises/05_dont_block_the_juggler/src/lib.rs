//! # Exercise 05: don't block the juggler
//!
//! A login server answers each attempt after a deliberate pause, and checks
//! the password by hashing it, which costs a lot of CPU on purpose. The
//! handler below is async, yet it does both of those things in a way that
//! freezes the whole server. Read `README.md` beside this folder for the
//! story and what the checker verifies.
//!
//! Your task: keep `login` async, and move each blocking piece where it
//! belongs. The pause is waiting: wait without holding the thread. The hash
//! is computing: compute it on a thread that is not the runtime's.

use lab::password::{LoginRequest, Reply};

/// Answers one login attempt: after `request.delay`, `Reply::Welcome` with
/// the account's user name if `request.password` is the account's password,
/// else `Reply::Denied`.
///
/// This is the handler as the team shipped it. It gives the right answers,
/// and while it runs, nothing else on the server moves:
///
/// ```text
/// std::thread::sleep(request.delay);
/// if request.account.check(&request.password) {
///     Reply::Welcome(request.account.user)
/// } else {
///     Reply::Denied
/// }
/// ```
pub async fn login(request: LoginRequest) -> Reply {
    // Replace this line with your code. Start from the handler above: the
    // checker will show you what it does to the server, then fix one
    // blocking piece at a time.
    let _ = request;
    todo!()
}
