//! # Exercise 05, solved: don't block the juggler
//!
//! An async runtime keeps many requests moving on one thread only because
//! every task hands that thread back whenever it has nothing to do right
//! now. The handler as shipped held on to it twice:
//!
//! - `std::thread::sleep` is *waiting*, and waiting needs no thread at all.
//!   `tokio::time::sleep` waits the same time as a timer: the task steps
//!   aside at its `.await` and the runtime serves other requests meanwhile.
//! - The password hash is *computing*. No `.await` can make CPU work
//!   cheaper: someone has to do every round. So it goes to a thread whose
//!   job is to block, and the handler awaits the answer.

use lab::password::{LoginRequest, Reply};

/// Answers one login attempt after its delay, without ever holding the
/// runtime's thread.
pub async fn login(request: LoginRequest) -> Reply {
    // The deliberate pause. A timer, not a sleeping thread: while it runs
    // this task is parked and the runtime's one thread juggles the others.
    // https://docs.rs/tokio/latest/tokio/time/fn.sleep.html
    tokio::time::sleep(request.delay).await;

    // The hash, on tokio's blocking pool: threads set aside for work that
    // holds a thread (blocking calls, CPU work). The closure must own what
    // it uses, because it runs on another thread and may outlive this
    // stack frame, hence `move` and the owned request. Awaiting the handle
    // gives the thread back until the hash is done.
    // https://docs.rs/tokio/latest/tokio/task/fn.spawn_blocking.html
    //
    // Doing the rounds here in small pieces with `yield_now` between them
    // would let other tasks in between pieces, but the runtime's thread
    // would still do every round itself, and every request would wait for
    // all the hashing of the others. Rayon (`rayon::spawn` with a
    // `tokio::sync::oneshot` channel back) is just as good as the blocking
    // pool: any thread but the runtime's.
    let LoginRequest {
        password, account, ..
    } = request;
    let user = account.user.clone();
    let matches = tokio::task::spawn_blocking(move || account.check(&password))
        .await
        // A panic inside the closure comes back here as an error: pass it on.
        .expect("the password hash panicked");

    if matches {
        Reply::Welcome(user)
    } else {
        Reply::Denied
    }
}
