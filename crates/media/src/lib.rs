//! Images of activities and projects. What a user uploads is checked by its
//! content (JPEG, PNG or WebP only, whatever its name says), refused beyond
//! [`MAX_BYTES`] or [`MAX_PIXELS`] (decompression bombs are stopped by the
//! decoder's limits before any pixel is allocated), turned upright from its
//! EXIF orientation, and re-encoded as JPEG at a few widths ([`WIDTHS`])
//! without ever enlarging it. Re-encoding drops every metadata block (EXIF
//! with its GPS position, XMP, comments).

/// The codecs, for tests that make pictures.
pub use image;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};
use sha2::{Digest, Sha256};
use std::io::Cursor;

/// The widths served, for `srcset`. A narrower original is kept at its own
/// width instead of the widths above it.
pub const WIDTHS: [u32; 3] = [320, 640, 1280];
/// Largest file accepted.
pub const MAX_BYTES: usize = 15 * 1024 * 1024;
/// Largest picture accepted (40 megapixels).
pub const MAX_PIXELS: u64 = 40_000_000;
/// Largest side accepted.
pub const MAX_SIDE: u32 = 20_000;
/// JPEG quality of the variants.
pub const QUALITY: u8 = 82;

/// The kinds of files accepted, recognised by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Webp,
}

impl Kind {
    fn format(self) -> ImageFormat {
        match self {
            Kind::Jpeg => ImageFormat::Jpeg,
            Kind::Png => ImageFormat::Png,
            Kind::Webp => ImageFormat::WebP,
        }
    }
}

/// The kind of an image from its magic bytes; `None` for anything else.
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Kind::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Kind::Png)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(Kind::Webp)
    } else {
        None
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {max} bytes")]
    TooLarge { max: usize },
    #[error("not a JPEG, PNG or WebP image")]
    Unsupported,
    #[error("the image is {width}×{height} pixels, more than {max} allowed")]
    TooManyPixels { width: u32, height: u32, max: u64 },
    #[error("the image cannot be read: {0}")]
    Corrupt(String),
}

/// One resized copy, as JPEG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// What is kept of an upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    /// Size of the upright original.
    pub width: u32,
    pub height: u32,
    /// SHA-256 of the uploaded file, in hexadecimal.
    pub digest: String,
    /// Narrowest first; never empty.
    pub variants: Vec<Variant>,
}

/// The widths to make for an original `width` pixels wide: those of
/// [`WIDTHS`] that fit, and the original's own when it is narrower than the
/// largest (so a 1,000 px picture is kept at 320, 640 and 1,000).
pub fn widths_for(width: u32) -> Vec<u32> {
    let mut v: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w <= width).collect();
    let largest = WIDTHS[WIDTHS.len() - 1];
    if width < largest && !v.contains(&width) {
        v.push(width);
    }
    v
}

fn height_for(width: u32, height: u32, target: u32) -> u32 {
    let h = (u64::from(height) * u64::from(target) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(h.max(1)).unwrap_or(u32::MAX)
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Decodes an upload with limits, upright.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, MediaError> {
    if bytes.is_empty() {
        return Err(MediaError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(MediaError::TooLarge { max: MAX_BYTES });
    }
    let kind = sniff(bytes).ok_or(MediaError::Unsupported)?;
    let mut reader = ImageReader::new(Cursor::new(bytes));
    reader.set_format(kind.format());
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    // Four bytes a pixel at most for these formats, and some room.
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    reader.limits(limits);
    let corrupt = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => MediaError::TooManyPixels {
            width: 0,
            height: 0,
            max: MAX_PIXELS,
        },
        other => MediaError::Corrupt(other.to_string()),
    };
    let mut decoder = reader.into_decoder().map_err(corrupt)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(MediaError::TooManyPixels {
            width,
            height,
            max: MAX_PIXELS,
        });
    }
    if width == 0 || height == 0 {
        return Err(MediaError::Corrupt("no pixels".into()));
    }
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    Ok(img)
}

/// Flattens transparency on white (JPEG has none).
fn to_rgb(img: &DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.to_rgb8();
    }
    let rgba = img.to_rgba8();
    let mut out = RgbImage::new(rgba.width(), rgba.height());
    for (dst, src) in out.pixels_mut().zip(rgba.pixels()) {
        let a = u32::from(src[3]);
        for i in 0..3 {
            let c = (u32::from(src[i]) * a + 255 * (255 - a) + 127) / 255;
            dst[i] = u8::try_from(c).unwrap_or(255);
        }
    }
    out
}

fn encode(img: &RgbImage) -> Result<Vec<u8>, MediaError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, QUALITY)
        .encode_image(img)
        .map_err(|e| MediaError::Corrupt(e.to_string()))?;
    Ok(out)
}

/// Checks, decodes and resizes an upload. CPU-bound: call it on a blocking
/// thread.
pub fn process(bytes: &[u8]) -> Result<Processed, MediaError> {
    let img = decode(bytes)?;
    let (width, height) = (img.width(), img.height());
    let rgb = DynamicImage::ImageRgb8(to_rgb(&img));
    drop(img);
    let mut variants = Vec::new();
    // Largest first, each from the one before: cheaper, and as sharp.
    let mut source = rgb;
    for w in widths_for(width).into_iter().rev() {
        let h = height_for(width, height, w);
        let resized = if w == source.width() {
            source.clone()
        } else {
            source.resize_exact(w, h, FilterType::CatmullRom)
        };
        variants.push(Variant {
            width: w,
            height: resized.height(),
            bytes: encode(&resized.to_rgb8())?,
        });
        source = resized;
    }
    variants.reverse();
    Ok(Processed {
        width,
        height,
        digest: sha256_hex(bytes),
        variants,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, Rgba, RgbaImage};

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = RgbaImage::from_fn(width, height, |x, y| {
            Rgba([
                (x % 256) as u8,
                (y % 256) as u8,
                128,
                if x < 10 { 0 } else { 255 },
            ])
        });
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(img.as_raw(), width, height, image::ExtendedColorType::Rgba8)
            .unwrap();
        out
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for b in bytes {
            crc ^= u32::from(*b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn recognises_types_by_content() {
        assert_eq!(sniff(&png(2, 2)), Some(Kind::Png));
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Some(Kind::Jpeg));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(Kind::Webp));
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b"hello, I am a text file"), None);
        assert_eq!(process(b"hello"), Err(MediaError::Unsupported));
        assert_eq!(process(b""), Err(MediaError::Empty));
    }

    #[test]
    fn widths_never_enlarge() {
        assert_eq!(widths_for(2000), vec![320, 640, 1280]);
        assert_eq!(widths_for(1280), vec![320, 640, 1280]);
        assert_eq!(widths_for(1000), vec![320, 640, 1000]);
        assert_eq!(widths_for(640), vec![320, 640]);
        assert_eq!(widths_for(200), vec![200]);
    }

    #[test]
    fn makes_jpeg_variants_with_the_aspect_ratio() {
        let p = process(&png(1500, 1000)).unwrap();
        assert_eq!((p.width, p.height), (1500, 1000));
        assert_eq!(p.digest.len(), 64);
        let sizes: Vec<(u32, u32)> = p.variants.iter().map(|v| (v.width, v.height)).collect();
        assert_eq!(sizes, vec![(320, 213), (640, 427), (1280, 853)]);
        for v in &p.variants {
            assert_eq!(sniff(&v.bytes), Some(Kind::Jpeg));
            let img = image::load_from_memory(&v.bytes).unwrap();
            assert_eq!((img.width(), img.height()), (v.width, v.height));
        }
        // The transparent band is flattened on white, not black.
        let small = image::load_from_memory(&p.variants[2].bytes)
            .unwrap()
            .to_rgb8();
        assert!(
            small.get_pixel(1, 500)[2] > 200,
            "{:?}",
            small.get_pixel(1, 500)
        );
    }

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(width, height, |x, _| image::Rgb([(x % 256) as u8, 0, 0]));
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&img)
            .unwrap();
        out
    }

    /// A JPEG with an EXIF block saying "rotate 90° clockwise".
    fn jpeg_rotated(width: u32, height: u32) -> Vec<u8> {
        let plain = jpeg(width, height);
        let mut tiff: Vec<u8> = b"MM\0\x2a\0\0\0\x08".to_vec();
        tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
        tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
        tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
        tiff.extend_from_slice(&1u32.to_be_bytes());
        tiff.extend_from_slice(&[0, 6, 0, 0]);
        tiff.extend_from_slice(&0u32.to_be_bytes());
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
        out.extend_from_slice(&u16::try_from(app1.len() + 2).unwrap().to_be_bytes());
        out.extend_from_slice(&app1);
        out.extend_from_slice(&plain[2..]);
        out
    }

    #[test]
    fn turns_pictures_upright_and_drops_their_metadata() {
        let bytes = jpeg_rotated(300, 100);
        assert!(bytes.windows(4).any(|w| w == b"Exif"));
        let p = process(&bytes).unwrap();
        assert_eq!((p.width, p.height), (100, 300));
        assert_eq!(p.variants.len(), 1);
        assert_eq!((p.variants[0].width, p.variants[0].height), (100, 300));
        assert!(!p.variants[0].bytes.windows(4).any(|w| w == b"Exif"));
    }

    #[test]
    fn reads_webp() {
        let img = RgbaImage::from_fn(800, 400, |x, _| Rgba([(x % 256) as u8, 10, 10, 255]));
        let mut out = Vec::new();
        image::codecs::webp::WebPEncoder::new_lossless(&mut out)
            .write_image(img.as_raw(), 800, 400, image::ExtendedColorType::Rgba8)
            .unwrap();
        assert_eq!(sniff(&out), Some(Kind::Webp));
        let p = process(&out).unwrap();
        let widths: Vec<u32> = p.variants.iter().map(|v| v.width).collect();
        assert_eq!(widths, vec![320, 640, 800]);
        assert_eq!(p.variants[2].height, 400);
    }

    #[test]
    fn refuses_truncated_files_and_bombs() {
        let mut bytes = png(300, 300);
        bytes.truncate(100);
        assert!(matches!(process(&bytes), Err(MediaError::Corrupt(_))));
        // A small PNG whose header claims 8,000 × 6,000 pixels: refused
        // before any pixel is allocated.
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&8_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&6_000u32.to_be_bytes());
        let crc = crc32(&bomb[12..29]);
        bomb[29..33].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(
            process(&bomb),
            Err(MediaError::TooManyPixels {
                width: 8_000,
                height: 6_000,
                max: MAX_PIXELS
            })
        );
        // Sides beyond the decoder's limits.
        bomb[16..20].copy_from_slice(&30_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&1u32.to_be_bytes());
        let crc = crc32(&bomb[12..29]);
        bomb[29..33].copy_from_slice(&crc.to_be_bytes());
        assert!(matches!(
            process(&bomb),
            Err(MediaError::TooManyPixels { .. })
        ));
        assert_eq!(
            process(&vec![0xFF; MAX_BYTES + 1]),
            Err(MediaError::TooLarge { max: MAX_BYTES })
        );
    }
}
