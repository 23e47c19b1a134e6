//! Drawing on an [`Image`] for the pictures graders write: filled boxes and
//! numbers in a tiny pixel font, enough to label a lane of a timeline.

use lab::image::Image;

/// Paints the `w` x `h` box at (`x`, `y`), clipped to the image.
pub fn fill(image: &mut Image, x: usize, y: usize, w: usize, h: usize, colour: [u8; 3]) {
    let (width, height) = (image.width(), image.height());
    let pixels = image.pixels_mut();
    for row in y..(y + h).min(height) {
        for col in x..(x + w).min(width) {
            pixels[row * width + col] = colour;
        }
    }
}

/// Digits of a 3x5 font, one row of three bits per line, top first.
const DIGITS: [[u8; 5]; 10] = [
    [0b111, 0b101, 0b101, 0b101, 0b111],
    [0b010, 0b110, 0b010, 0b010, 0b111],
    [0b111, 0b001, 0b111, 0b100, 0b111],
    [0b111, 0b001, 0b111, 0b001, 0b111],
    [0b101, 0b101, 0b111, 0b001, 0b001],
    [0b111, 0b100, 0b111, 0b001, 0b111],
    [0b111, 0b100, 0b111, 0b101, 0b111],
    [0b111, 0b001, 0b010, 0b010, 0b010],
    [0b111, 0b101, 0b111, 0b101, 0b111],
    [0b111, 0b101, 0b111, 0b001, 0b111],
];

/// Writes the digits of `text` at (`x`, `y`) in `ink`, at twice the font's
/// size: 8 pixels a digit, 10 high. Other characters are skipped.
pub fn write_number(image: &mut Image, x: usize, y: usize, text: &str, ink: [u8; 3]) {
    for (i, digit) in text.bytes().filter(u8::is_ascii_digit).enumerate() {
        let glyph = DIGITS[usize::from(digit - b'0')];
        for (row, bits) in glyph.iter().enumerate() {
            for col in 0..3 {
                if bits & (0b100 >> col) != 0 {
                    fill(image, x + i * 8 + col * 2, y + row * 2, 2, 2, ink);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A box is clipped at the edges; a "1" lights its middle column.
    #[test]
    fn boxes_clip_and_digits_draw() {
        let mut image = Image::new(4, 3);
        fill(&mut image, 2, 1, 10, 10, [9, 9, 9]);
        let lit = image.pixels().iter().filter(|p| **p == [9, 9, 9]).count();
        assert_eq!(lit, 2 * 2);
        let mut canvas = Image::new(8, 10);
        write_number(&mut canvas, 0, 0, "1", [1, 2, 3]);
        assert_eq!(canvas.pixels()[2], [1, 2, 3], "top of the 1's stem");
        assert_ne!(
            canvas.pixels()[0],
            [1, 2, 3],
            "left of the stem stays blank"
        );
    }
}
