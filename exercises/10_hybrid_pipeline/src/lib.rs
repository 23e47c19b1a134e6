//! # Exercise 10: a hybrid pipeline
//!
//! A server holds a set of images. Each must be downloaded (waiting on the
//! network), blurred (computing, pure CPU) and saved in a store (waiting
//! again). Waiting is async's job; computing is a thread pool's. Read
//! `README.md` beside this folder for the story and what the checker
//! verifies.
//!
//! Your task: fill in `pipeline` so that the downloads overlap, every blur
//! runs on rayon's pool (never on the runtime's thread), the blurred images
//! come back to async code that saves them, and the first blur starts while
//! later downloads are still on their way. `pipeline_in_a_row` below does
//! the whole job correctly, one image at a time, on one thread: start from
//! it.

use lab::batch::blur_image;
use lab::gallery::{Server, Store};
use lab::image::Image;

/// Blurs `image` with a box of `radius`: pure CPU work, with lab's kernel,
/// which the checker watches. Blur with this (or `blur_image` itself).
pub fn blur(image: &Image, radius: usize) -> Image {
    blur_image(image, radius)
}

/// Downloads every image of `server`, one after another, blurs each on
/// the runtime's own thread and saves it. It is correct, and slow twice
/// over: each download waits for the one before, and while a blur runs no
/// other task on this runtime moves.
pub async fn pipeline_in_a_row(server: Server, store: Store, radius: usize) {
    for id in server.ids() {
        let image = server.download(id).await;
        let blurred = blur(&image, radius);
        store.save(id, blurred).await;
    }
}

/// Downloads every image of `server` concurrently, blurs each on rayon's
/// pool as soon as it arrives, and saves it in `store` under its own id,
/// from async code.
pub async fn pipeline(server: Server, store: Store, radius: usize) {
    // Replace this line with your code.
    let _ = (server, store, radius);
    todo!()
}
