//! The image server and the store of exercise 10, a hybrid pipeline.
//!
//! A [`Server`] holds a set of images, each under an id. Downloading one
//! waits on the network (tokio's timer, like every simulated call of
//! [`crate::io`]), each image for its own latency, and hands back a copy of
//! the image. A [`Store`] is where finished images go: saving one waits a
//! little too, and then the store keeps the image under its id.
//!
//! Both are cheap handles: clone them to give each task its own.
//!
//! ```
//! use std::time::Duration;
//! use lab::gallery::{Server, Store};
//! use lab::image::Image;
//! use lab::io::Recorder;
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let log = Recorder::new();
//! let picture = Image::generate(1, 8, 6);
//! let server = Server::new(log.clone(), vec![(42, picture.clone(), Duration::from_millis(3))]);
//! let store = Store::new(log.clone(), Duration::from_millis(1));
//! assert_eq!(server.ids(), vec![42]);
//! let image = server.download(42).await;
//! store.save(42, image).await;
//! assert_eq!(store.saved()[0].image, picture);
//! assert_eq!(log.calls().len(), 2); // "download 42", then "save 42"
//! # });
//! ```
//!
//! Every download and every save goes through an [`crate::io::Recorder`],
//! which logs when it started and ended and on which thread; the store also
//! logs which thread finished each save. That is how a grader sees whether
//! downloads overlapped, and when the last one ended.

use std::sync::{Arc, Mutex};
use std::thread::ThreadId;
use std::time::Duration;

use crate::image::Image;
use crate::io::{Recorder, lock};

/// The label under which the recorder logs a download of image `id`.
pub fn download_label(id: u64) -> String {
    format!("download {id}")
}

/// The label under which the recorder logs a save of image `id`.
pub fn save_label(id: u64) -> String {
    format!("save {id}")
}

/// One image the server offers.
#[derive(Debug)]
struct Listing {
    id: u64,
    image: Image,
    latency: Duration,
}

/// A simulated image server: each download waits its image's latency on
/// tokio's timer. Cheap to clone: clones share the images and the log.
#[derive(Debug, Clone)]
pub struct Server {
    listings: Arc<Vec<Listing>>,
    recorder: Recorder,
}

impl Server {
    /// A server offering `images`, each `(id, image, latency)`, logging its
    /// downloads into `recorder`.
    pub fn new(recorder: Recorder, images: Vec<(u64, Image, Duration)>) -> Self {
        let listings = images
            .into_iter()
            .map(|(id, image, latency)| Listing { id, image, latency })
            .collect();
        Server {
            listings: Arc::new(listings),
            recorder,
        }
    }

    /// The ids of every image on the server, in the server's order.
    pub fn ids(&self) -> Vec<u64> {
        self.listings.iter().map(|l| l.id).collect()
    }

    /// Downloads image `id`: waits its latency (no CPU, the thread is free
    /// meanwhile), then returns a copy of it.
    ///
    /// # Panics
    ///
    /// If the server has no image `id`, or when awaited outside a tokio
    /// runtime.
    pub async fn download(&self, id: u64) -> Image {
        let Some(listing) = self.listings.iter().find(|l| l.id == id) else {
            panic!(
                "lab: the server has no image with id {id}; ask Server::ids() for the ids it has"
            );
        };
        self.recorder
            .wait(&download_label(id), listing.latency)
            .await;
        listing.image.clone()
    }
}

/// One image the store received.
#[derive(Debug, Clone)]
pub struct Saved {
    /// The id it was saved under.
    pub id: u64,
    /// The image.
    pub image: Image,
    /// The thread that finished the save.
    pub thread: ThreadId,
}

/// A simulated store for finished images: each save waits a little on
/// tokio's timer, then keeps the image. Cheap to clone: clones share one
/// store.
#[derive(Debug, Clone)]
pub struct Store {
    saved: Arc<Mutex<Vec<Saved>>>,
    latency: Duration,
    recorder: Recorder,
}

impl Store {
    /// An empty store whose saves each wait `latency`, logged into
    /// `recorder`.
    pub fn new(recorder: Recorder, latency: Duration) -> Self {
        Store {
            saved: Arc::new(Mutex::new(Vec::new())),
            latency,
            recorder,
        }
    }

    /// Saves `image` under `id`. Saving the same id twice keeps both: the
    /// store does not judge, the grader does.
    ///
    /// # Panics
    ///
    /// When awaited outside a tokio runtime.
    pub async fn save(&self, id: u64, image: Image) {
        self.recorder.wait(&save_label(id), self.latency).await;
        lock(&self.saved).push(Saved {
            id,
            image,
            thread: std::thread::current().id(),
        });
    }

    /// Every image saved so far, in the order the saves finished.
    pub fn saved(&self) -> Vec<Saved> {
        lock(&self.saved).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Downloads wait their own latency, overlap when joined, and come back
    /// as copies; saves keep what they were given, under its id.
    #[tokio::test(start_paused = true)]
    async fn downloads_wait_their_latency_and_saves_keep_the_image() {
        let log = Recorder::new();
        let (a, b) = (Image::generate(1, 4, 3), Image::generate(2, 5, 2));
        let server = Server::new(
            log.clone(),
            vec![
                (7, a.clone(), Duration::from_millis(30)),
                (9, b.clone(), Duration::from_millis(50)),
            ],
        );
        let store = Store::new(log.clone(), Duration::from_millis(2));
        let (got_a, got_b) = tokio::join!(server.download(7), server.download(9));
        assert_eq!((got_a, got_b), (a.clone(), b));
        assert_eq!(log.virtual_elapsed(), Duration::from_millis(50));
        assert_eq!(log.peak_in_flight(), 2);
        store.save(7, a.clone()).await;
        let saved = store.saved();
        assert_eq!((saved.len(), saved[0].id), (1, 7));
        assert_eq!(saved[0].image, a);
        let labels: Vec<String> = log.calls().into_iter().map(|c| c.label).collect();
        assert_eq!(labels, ["download 7", "download 9", "save 7"]);
    }

    #[tokio::test]
    #[should_panic(expected = "no image with id 3")]
    async fn an_unknown_id_is_named() {
        let server = Server::new(Recorder::new(), vec![]);
        server.download(3).await;
    }
}
