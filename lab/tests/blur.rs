//! The blur kernel against hand-computed averages.

use lab::blur::blur_row;
use lab::image::Image;

/// A radius of 0 copies the image; a flat image stays flat at any radius.
#[test]
fn radius_zero_copies_and_flat_stays_flat() {
    let image = Image::generate(3, 20, 10);
    let mut row = vec![[0; 3]; 20];
    blur_row(&image, 0, 4, &mut row);
    assert_eq!(row, image.row(4));

    let mut flat = Image::new(8, 8);
    flat.pixels_mut().fill([10, 20, 30]);
    let mut row = vec![[0; 3]; 8];
    blur_row(&flat, 3, 0, &mut row);
    assert!(row.iter().all(|p| *p == [10, 20, 30]));
}

/// At an edge the window is cut off: the corner averages a 2x2 square.
#[test]
fn corner_averages_the_part_of_the_window_inside() {
    let mut image = Image::new(3, 3);
    image.pixels_mut()[0] = [40, 0, 0]; // (0, 0)
    image.pixels_mut()[1] = [40, 0, 0]; // (1, 0)
    let mut row = vec![[0; 3]; 3];
    blur_row(&image, 1, 0, &mut row);
    assert_eq!(row[0], [20, 0, 0]); // (40 + 40 + 0 + 0) / 4
    assert_eq!(row[1], [13, 0, 0]); // (40 + 40) / 6, rounded
    assert_eq!(row[2], [10, 0, 0]); // 40 / 4
}

/// PNG output writes a file a decoder reads back with the same pixels.
#[test]
fn png_round_trip() {
    let image = Image::generate(9, 32, 16);
    let dir = std::env::temp_dir().join(format!("lab-png-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("picture.png");
    image.save_png(&path).unwrap();
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (32, 16));
    assert_eq!(&buf[..info.buffer_size()], image.pixels().as_flattened());
    std::fs::remove_dir_all(&dir).unwrap();
}
