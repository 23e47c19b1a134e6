//! # Exercise 10, solved: a hybrid pipeline
//!
//! Two kinds of slow live in this job, and each gets the tool made for it:
//!
//! - **waiting** (downloads, saves): async tasks on the runtime. A task
//!   that waits hands its thread back at the `.await`, so one thread keeps
//!   every download in flight at once;
//! - **computing** (the blur): rayon's pool, one worker per core. A blur
//!   never yields, so on the runtime's thread it would freeze every task;
//!   on the pool it runs beside other blurs, on other cores.
//!
//! The two meet at a `oneshot` channel: the task gives the image to the
//! pool with `rayon::spawn`, then awaits the channel. Awaiting costs the
//! runtime nothing, and the blurred image comes back to async code, which
//! stores it. Each image goes its own way through the three steps, so the
//! first blur starts as soon as the first download ends: a pipeline, not
//! "all downloads, then all blurs".

use lab::batch::blur_image;
use lab::gallery::{Server, Store};
use lab::image::Image;
use tokio::sync::oneshot;
use tokio::task::JoinSet;

/// Blurs `image` with a box of `radius`: pure CPU work, with lab's kernel.
pub fn blur(image: &Image, radius: usize) -> Image {
    blur_image(image, radius)
}

/// Downloads every image of `server`, one after another, blurs each on
/// the runtime's own thread and saves it. Correct, and slow twice over.
pub async fn pipeline_in_a_row(server: Server, store: Store, radius: usize) {
    for id in server.ids() {
        let image = server.download(id).await;
        let blurred = blur(&image, radius);
        store.save(id, blurred).await;
    }
}

/// Blurs `image` on rayon's pool and waits for the result without holding
/// the runtime's thread.
async fn blur_on_the_pool(image: Image, radius: usize) -> Image {
    let (done, result) = oneshot::channel();
    // `rayon::spawn` queues the closure on the global pool and returns at
    // once: the closure must own what it uses, hence `move`. A worker runs
    // it and sends the blurred image back; `send` fails only if nobody
    // waits any more, and then there is nothing left to do.
    // https://docs.rs/rayon/latest/rayon/fn.spawn.html
    rayon::spawn(move || {
        let _ = done.send(blur(&image, radius));
    });
    // Awaiting the receiver parks this task, not the thread: the runtime
    // goes on with the other downloads while the pool blurs.
    // https://docs.rs/tokio/latest/tokio/sync/oneshot/index.html
    result.await.expect("the blur on rayon's pool panicked")
}

/// Downloads every image of `server` at once, blurs each on rayon's pool
/// as soon as it arrives, and saves it in `store` under its own id.
pub async fn pipeline(server: Server, store: Store, radius: usize) {
    // One task per image, each going download, blur, save at its own pace.
    // `JoinSet` owns the tasks: they run on this runtime while we wait for
    // all of them below. A task may outlive the borrow of anything local,
    // so each one gets its own clone of the server and the store (cheap
    // handles to shared state).
    // https://docs.rs/tokio/latest/tokio/task/struct.JoinSet.html
    let mut tasks = JoinSet::new();
    for id in server.ids() {
        let (server, store) = (server.clone(), store.clone());
        tasks.spawn(async move {
            let image = server.download(id).await;
            let blurred = blur_on_the_pool(image, radius).await;
            store.save(id, blurred).await;
        });
    }
    // Wait for every task; a panic inside one is passed on, not hidden.
    while let Some(finished) = tasks.join_next().await {
        if let Err(error) = finished {
            std::panic::resume_unwind(error.into_panic());
        }
    }
}
