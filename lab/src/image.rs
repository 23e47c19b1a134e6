//! A small RGB image, a seeded image generator and PNG output.
//!
//! ```
//! use lab::image::Image;
//! let picture = Image::generate(42, 64, 48);
//! assert_eq!(picture.width(), 64);
//! assert_eq!(picture.pixels().len(), 64 * 48);
//! assert_eq!(picture, Image::generate(42, 64, 48)); // same seed, same picture
//! ```

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

/// One pixel: red, green, blue.
pub type Rgb = [u8; 3];

/// An RGB image stored row after row: pixel `(x, y)` is at `y * width + x`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    width: usize,
    height: usize,
    pixels: Vec<Rgb>,
}

impl Image {
    /// A black image.
    pub fn new(width: usize, height: usize) -> Self {
        Image {
            width,
            height,
            pixels: vec![[0, 0, 0]; width * height],
        }
    }

    /// A picture made from `seed`: a colour gradient, a few discs and bars,
    /// and speckles of noise. The same seed always gives the same picture.
    pub fn generate(seed: u64, width: usize, height: usize) -> Self {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut image = Image::new(width, height);
        let tint = [rng.u8(..), rng.u8(..), rng.u8(..)];
        for y in 0..height {
            for x in 0..width {
                let fx = (x * 255 / width.max(1)) as u8;
                let fy = (y * 255 / height.max(1)) as u8;
                image.pixels[y * width + x] = [fx / 2 + tint[0] / 2, fy / 2 + tint[1] / 2, tint[2]];
            }
        }
        for _ in 0..6 {
            let colour = [rng.u8(..), rng.u8(..), rng.u8(..)];
            let (cx, cy) = (rng.usize(..width.max(1)), rng.usize(..height.max(1)));
            let r = rng.usize(4..(width.min(height) / 4).max(5));
            for y in cy.saturating_sub(r)..(cy + r).min(height) {
                for x in cx.saturating_sub(r)..(cx + r).min(width) {
                    let (dx, dy) = (x.abs_diff(cx), y.abs_diff(cy));
                    if dx * dx + dy * dy <= r * r {
                        image.pixels[y * width + x] = colour;
                    }
                }
            }
        }
        for _ in 0..3 {
            let colour = [rng.u8(..), rng.u8(..), rng.u8(..)];
            let top = rng.usize(..height.max(1));
            for y in top..(top + height / 16 + 1).min(height) {
                for x in 0..width {
                    image.pixels[y * width + x] = colour;
                }
            }
        }
        for pixel in image.pixels.iter_mut() {
            if rng.u8(..) < 12 {
                *pixel = [rng.u8(..), rng.u8(..), rng.u8(..)];
            }
        }
        image
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> usize {
        self.height
    }

    /// The pixel at column `x`, row `y`.
    ///
    /// # Panics
    ///
    /// When `(x, y)` lies outside the image.
    pub fn get(&self, x: usize, y: usize) -> Rgb {
        assert!(
            x < self.width && y < self.height,
            "pixel ({x}, {y}) is outside the image"
        );
        self.pixels[y * self.width + x]
    }

    /// All pixels, row after row.
    pub fn pixels(&self) -> &[Rgb] {
        &self.pixels
    }

    /// All pixels, row after row, to write into. Split it into rows with
    /// `chunks_mut(width)` (or rayon's `par_chunks_mut(width)`).
    pub fn pixels_mut(&mut self) -> &mut [Rgb] {
        &mut self.pixels
    }

    /// Row `y`.
    pub fn row(&self, y: usize) -> &[Rgb] {
        &self.pixels[y * self.width..(y + 1) * self.width]
    }

    /// Writes the image to `path` as an 8-bit RGB PNG file.
    pub fn save_png(&self, path: &Path) -> std::io::Result<()> {
        let file = BufWriter::new(File::create(path)?);
        let mut encoder = png::Encoder::new(file, self.width as u32, self.height as u32);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(std::io::Error::other)?;
        writer
            .write_image_data(self.pixels.as_flattened())
            .map_err(std::io::Error::other)?;
        writer.finish().map_err(std::io::Error::other)
    }
}
