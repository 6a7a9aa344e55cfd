"""Photo processing at upload: content checks, EXIF orientation, metadata stripped, renditions."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from PIL import Image

from products import images
from products.images import photo_add, photo_delete, rendition_srcset, rendition_url
from products.models import ProductPhoto
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def product():
    return ProductFactory(name="Lempok Durian Original")


def files_in(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def jpeg_with_exif(size=(400, 200), orientation: int = 6) -> bytes:
    """A wide picture, red left and blue right, tagged 'rotate 90°', with GPS and camera tags."""
    img = Image.new("RGB", size, (200, 30, 30))
    img.paste((30, 30, 200), (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE] = "KameraRahasia"
    exif[GPS_IFD] = {1: "N", 2: (0.0, 1.0, 30.0), 3: "E", 4: (109.0, 20.0, 0.0)}
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif, quality=95)
    return out.getvalue()


def png_bytes(size=(300, 200), mode="RGB", color=(10, 150, 60)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, "PNG")
    return out.getvalue()


def test_exif_orientation_applied_and_metadata_gone(media, product):
    data = jpeg_with_exif()
    assert b"KameraRahasia" in data  # the input really carries the metadata

    photo = photo_add(product=product, file=SimpleUploadedFile("foto.jpg", data))

    photo.refresh_from_db()
    # Orientation 6 = rotate 90° clockwise: the 400x200 picture is now 200 wide, 400 high.
    assert (photo.width, photo.height) == (200, 400)
    stored = [media / photo.image.name] + [media / n for n in photo.renditions.values()]
    assert all(p.exists() for p in stored)
    for path in stored:
        raw = path.read_bytes()
        assert b"KameraRahasia" not in raw
        with Image.open(path) as img:
            assert img.mode == "RGB"
            exif = img.getexif()
            assert ORIENTATION not in exif and MAKE not in exif and GPS_IFD not in exif
            assert not exif.get_ifd(GPS_IFD)
            assert "exif" not in img.info and "icc_profile" not in img.info
    with Image.open(media / photo.image.name) as img:
        assert img.format == "JPEG" and img.size == (200, 400)
        # Red (left of the original) is now at the top after the rotation.
        top, bottom = img.getpixel((100, 20)), img.getpixel((100, 380))
        assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]


def test_renditions_are_webp_at_each_width_and_srcset(media, product):
    data = jpeg_with_exif(size=(2400, 1200), orientation=1)
    photo = photo_add(product=product, file=data, alt_text="Lempok di meja")

    photo.refresh_from_db()
    assert (photo.width, photo.height) == (1600, 800)  # normalised original, long side 1600
    assert sorted(photo.renditions, key=int) == ["320", "640", "1024"]
    for width, name in photo.renditions.items():
        with Image.open(media / name) as img:
            assert img.format == "WEBP" and img.width == int(width)
    srcset = rendition_srcset(photo)
    assert srcset.count("w,") == 2 and srcset.endswith("1024w")
    assert f"/media/{photo.renditions['320']} 320w" in srcset
    assert rendition_url(photo, 500).endswith("-640.webp")
    assert photo.alt_text == "Lempok di meja"
    assert len(files_in(media)) == 4


def test_small_picture_is_never_upscaled(media, product):
    photo = photo_add(product=product, file=png_bytes(size=(250, 100)))
    assert list(photo.renditions) == ["250"]
    assert photo.alt_text == product.name  # alt text defaults to the product name


def test_png_named_jpg_is_accepted_as_png_content(media, product):
    upload = SimpleUploadedFile("foto.jpg", png_bytes(), content_type="image/jpeg")
    photo = photo_add(product=product, file=upload)
    assert ProductPhoto.objects.filter(product=product).count() == 1
    with Image.open(media / photo.image.name) as img:
        assert img.format == "JPEG" and img.size == (300, 200)


def test_transparent_png_is_flattened_on_white(media, product):
    photo = photo_add(product=product, file=png_bytes(mode="RGBA", color=(0, 0, 0, 0)))
    with Image.open(media / photo.image.name) as img:
        assert img.mode == "RGB" and img.getpixel((10, 10))[0] > 240


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        (
            "foto.jpg",
            b"<!DOCTYPE html><html><script>alert(1)</script></html>",
            "not_image",
            "Berkas bukan gambar JPEG, PNG, atau WebP.",
        ),
        ("foto.jpg", b"", "empty", "Berkas foto kosong."),
        ("foto.gif", b"GIF89a" + b"\x00" * 100, "not_image", "bukan gambar"),
        ("terpotong.jpg", "truncated", "broken", "rusak atau tidak lengkap"),
    ],
)
def test_refused_files_leave_nothing(media, product, name, content, code, message):
    if content == "truncated":
        whole = jpeg_with_exif(size=(600, 600), orientation=1)
        content = whole[: len(whole) // 2]
    with pytest.raises(ValidationError) as err:
        photo_add(product=product, file=SimpleUploadedFile(name, content))
    assert err.value.code == code
    assert message in err.value.messages[0]
    assert not ProductPhoto.objects.exists()
    assert files_in(media) == []


def test_file_over_size_limit_refused(media, product, monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1024)
    with pytest.raises(ValidationError) as err:
        photo_add(product=product, file=jpeg_with_exif(size=(600, 600), orientation=1))
    assert err.value.code == "too_large"
    assert "maksimal" in err.value.messages[0]
    assert not ProductPhoto.objects.exists() and files_in(media) == []


def test_picture_over_pixel_limit_refused_before_decoding(media, product):
    # 8,000 x 5,200 = 41.6 megapixels (1-bit PNG: small file, huge picture).
    out = io.BytesIO()
    Image.new("1", (8000, 5200), 1).save(out, "PNG")
    assert len(out.getvalue()) < images.MAX_UPLOAD_BYTES
    with pytest.raises(ValidationError) as err:
        photo_add(product=product, file=SimpleUploadedFile("besar.png", out.getvalue()))
    assert err.value.code == "too_many_pixels"
    assert "40 megapiksel" in err.value.messages[0]
    assert not ProductPhoto.objects.exists() and files_in(media) == []


def test_decompression_bomb_guard_becomes_a_refusal(media, product, monkeypatch):
    # Pillow's own guard (warning past MAX_IMAGE_PIXELS) is turned into the same refusal.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ValidationError) as err:
        photo_add(product=product, file=png_bytes(size=(100, 50)))
    assert err.value.code == "too_many_pixels"
    assert files_in(media) == []


def test_database_failure_deletes_written_files(media, product, monkeypatch):
    def boom(self, *args, **kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr(ProductPhoto, "save", boom)
    with pytest.raises(IntegrityError):
        photo_add(product=product, file=png_bytes())
    assert files_in(media) == []
    assert not ProductPhoto.objects.exists()


def test_photo_delete_removes_files_after_commit(
    media, product, django_capture_on_commit_callbacks
):
    photo = photo_add(product=product, file=png_bytes(size=(1200, 800)))
    assert len(files_in(media)) == 4
    with django_capture_on_commit_callbacks(execute=True):
        photo_delete(photo=photo)
    assert not ProductPhoto.objects.exists()
    assert files_in(media) == []
