"""Vocabulary of the demo data: real products and places of West Kalimantan (domain.md).

Used by ``seed_demo`` (through ``demo.plan``) and ``generate_bench_data``, so that catalog
searches ("lempok", "amplang", "minuman", "kerajinan", "keramik singkawang") hit in both.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

SEED = 20260611
# Fixed reference date: the plan never depends on the day it runs.
REFERENCE_DATE = datetime.date(2026, 10, 1)


@dataclass(frozen=True)
class ProductType:
    name: str
    category: str
    price: tuple[int, int]
    price_unit: str
    description: str


@dataclass(frozen=True)
class Family:
    """A kind of IKM found in one kab/kota, with the products it makes."""

    key: str
    group: str  # CommodityGroup value
    unit_prefixes: tuple[str, ...]
    unit_description: str
    products: tuple[ProductType, ...]
    kbli: str
    colors: tuple[tuple[int, int, int], ...]
    motif: str = "circles"  # circles | stripes | diamonds | jar | waves
    kecamatan: tuple[str, ...] = ()  # preferred kecamatan codes (else the whole kab/kota)
    weight: int = 1
    capacity_unit: str = "kg"
    certs: tuple[str, ...] = ()  # certificate types this kind of business may hold


def P(name, category, lo, hi, unit, description):  # noqa: N802 - a compact table constructor
    return ProductType(name, category, (lo, hi), unit, description)


FOOD_CERTS = ("halal", "spp_irt", "merek", "bpom_md")
DRINK_CERTS = ("halal", "spp_irt", "merek", "bpom_md")
CRAFT_CERTS = ("merek", "desain_industri", "hak_cipta")
TEXTILE_CERTS = ("merek", "hak_cipta", "desain_industri")

# fmt: off
# --- the vocabulary, per kab/kota ----------------------------------------------------------
LEMPOK = Family(
    key="lempok",
    group="makanan",
    unit_prefixes=("Lempok Durian", "Lempok", "Olahan Durian"),
    unit_description=(
        "Usaha rumahan pembuat lempok durian dari durian lokal pilihan, dimasak perlahan dengan "
        "gula hingga legit dan tahan lama."
    ),
    products=(
        P("Lempok Durian Original", "makanan", 35000, 60000, "bungkus",
          "Lempok durian asli tanpa pengawet, dibuat dari daging durian matang dan gula pasir."),
        P("Lempok Durian Premium 500 gram", "makanan", 75000, 110000, "kotak",
          "Lempok durian premium dengan kadar durian tinggi, dikemas rapi untuk oleh-oleh."),
        P("Lempok Durian Gulung", "makanan", 25000, 40000, "bungkus",
          "Lempok durian digulung daun pisang kering, cara tradisional Kalimantan Barat."),
        P("Dodol Durian", "makanan", 30000, 45000, "bungkus",
          "Dodol durian kenyal dari tepung ketan, santan dan durian lokal."),
        P("Tempoyak Durian", "makanan", 20000, 35000, "toples",
          "Tempoyak fermentasi durian untuk sambal dan masakan Melayu."),
        P("Kue Lempok Durian Mini", "makanan", 20000, 30000, "kotak",
          "Potongan kecil lempok durian dalam kemasan praktis."),
    ),
    kbli="10793",
    colors=((214, 170, 60), (181, 132, 36), (120, 90, 30)),
    motif="circles",
    certs=FOOD_CERTS,
    weight=3,
)

MADU = Family(
    key="madu",
    group="makanan",
    unit_prefixes=("Madu Hutan", "Madu Kelulut", "Madu"),
    unit_description=(
        "Pengumpul dan pengolah madu hutan dari pepohonan di pedalaman Kalimantan Barat, "
        "disaring dan dikemas tanpa campuran."
    ),
    products=(
        P("Madu Hutan Asli 500 ml", "makanan", 90000, 150000, "botol",
          "Madu hutan murni dari lebah liar, dipanen secara lestari oleh masyarakat setempat."),
        P("Madu Kelulut 250 ml", "herbal", 85000, 140000, "botol",
          "Madu lebah kelulut (trigona) dengan rasa asam manis yang khas."),
        P("Madu Hutan Sachet", "makanan", 25000, 40000, "paket",
          "Madu hutan dalam sachet praktis untuk dibawa bepergian."),
        P("Bee Pollen Kelulut", "herbal", 60000, 90000, "toples",
          "Bee pollen dari sarang kelulut untuk menjaga daya tahan tubuh."),
        P("Propolis Kelulut", "herbal", 70000, 120000, "botol",
          "Ekstrak propolis lebah kelulut, diolah secara higienis."),
    ),
    kbli="10799",
    colors=((230, 170, 30), (200, 120, 20), (90, 60, 20)),
    motif="circles",
    certs=("halal", "spp_irt", "merek", "sni", "bpom_md"),
    capacity_unit="liter",
)

GULA_AREN = Family(
    key="gula_aren",
    group="makanan",
    unit_prefixes=("Gula Aren", "Gula Semut"),
    unit_description="Pengrajin gula aren dari nira pohon enau yang disadap setiap pagi.",
    products=(
        P("Gula Aren Cetak", "makanan", 20000, 35000, "kg",
          "Gula aren cetak batok dari nira enau murni, dimasak di tungku kayu."),
        P("Gula Semut Aren", "makanan", 25000, 45000, "bungkus",
          "Gula semut aren kristal, cocok untuk kopi dan kue."),
        P("Sirup Gula Aren", "minuman", 30000, 50000, "botol",
          "Sirup gula aren kental untuk minuman dan es kopi susu."),
        P("Gula Aren Cair", "makanan", 25000, 40000, "botol",
          "Gula aren cair dari nira enau, untuk minuman dan kue."),
        P("Manisan Kolang-Kaling", "makanan", 20000, 35000, "toples",
          "Manisan kolang-kaling dari buah aren, direbus dengan gula aren."),
    ),
    kbli="10721",
    colors=((140, 80, 40), (100, 60, 30), (200, 150, 90)),
    motif="waves",
    certs=FOOD_CERTS,
)

AMPLANG = Family(
    key="amplang",
    group="makanan",
    unit_prefixes=("Amplang", "Kerupuk Amplang", "Amplang Ikan"),
    unit_description=(
        "Produsen amplang dan kerupuk ikan khas Ketapang dari ikan laut segar tangkapan "
        "nelayan setempat."
    ),
    products=(
        P("Amplang Ikan Tenggiri", "makanan", 25000, 45000, "bungkus",
          "Amplang renyah dari ikan tenggiri segar dan tepung tapioka, gurih tanpa MSG."),
        P("Amplang Ikan Tenggiri Pedas", "makanan", 27000, 47000, "bungkus",
          "Amplang ikan tenggiri dengan bumbu cabai pedas."),
        P("Amplang Udang", "makanan", 30000, 50000, "bungkus",
          "Amplang dari udang laut dengan rasa gurih manis."),
        P("Kerupuk Ikan Tenggiri", "makanan", 20000, 35000, "bungkus",
          "Kerupuk ikan tenggiri mentah untuk digoreng di rumah."),
        P("Amplang Ikan Tenggiri 1 kg", "makanan", 120000, 180000, "kg",
          "Amplang kemasan besar untuk toko oleh-oleh."),
        P("Amplang Cumi", "makanan", 30000, 50000, "bungkus",
          "Amplang dari cumi laut segar, renyah dan gurih."),
    ),
    kbli="10292",
    colors=((236, 200, 140), (200, 90, 50), (240, 235, 220)),
    motif="waves",
    kecamatan=("61.04.16", "61.04.18", "61.04.17", "61.04.01"),
    certs=FOOD_CERTS,
    weight=3,
)

ALOE = Family(
    key="aloe",
    group="minuman",
    unit_prefixes=("Aloe Vera", "Lidah Buaya", "Olahan Lidah Buaya"),
    unit_description=(
        "Pengolah lidah buaya (aloe vera) dari kebun di Siantan, Pontianak Utara, menjadi "
        "minuman dan makanan ringan yang segar."
    ),
    products=(
        P("Minuman Lidah Buaya", "minuman", 5000, 9000, "botol",
          "Minuman segar dari daging lidah buaya Pontianak, tanpa pengawet."),
        P("Minuman Lidah Buaya Rasa Jeruk", "minuman", 5000, 9000, "botol",
          "Minuman lidah buaya dengan sari jeruk Sambas."),
        P("Manisan Lidah Buaya", "makanan", 15000, 25000, "bungkus",
          "Manisan lidah buaya kering, manis dan kenyal."),
        P("Nata de Aloe", "minuman", 10000, 18000, "toples",
          "Potongan lidah buaya dalam sirup, cocok untuk es buah."),
        P("Teh Lidah Buaya", "minuman", 20000, 35000, "kotak",
          "Teh celup dengan campuran kulit lidah buaya kering."),
        P("Dodol Lidah Buaya", "makanan", 15000, 25000, "bungkus",
          "Dodol lidah buaya khas Pontianak."),
        P("Jelly Lidah Buaya", "minuman", 3000, 6000, "pcs",
          "Jelly lidah buaya dalam cup untuk anak-anak."),
    ),
    kbli="11040",
    colors=((120, 190, 90), (60, 140, 70), (210, 240, 200)),
    motif="waves",
    kecamatan=("61.71.04",),
    certs=DRINK_CERTS,
    capacity_unit="liter",
    weight=4,
)

KUE_PONTIANAK = Family(
    key="kue_pontianak",
    group="makanan",
    unit_prefixes=("Kue", "Dapur", "Toko Kue"),
    unit_description="Dapur kue tradisional Pontianak untuk oleh-oleh dan hantaran.",
    products=(
        P("Lapis Legit Pontianak", "makanan", 150000, 300000, "kotak",
          "Lapis legit berlapis-lapis dengan mentega wisman dan rempah."),
        P("Kue Bingke Berendam", "makanan", 40000, 70000, "kotak",
          "Bingke berendam lembut khas Pontianak, dipanggang dengan arang."),
        P("Kue Lapis Sagu Pontianak", "makanan", 35000, 60000, "kotak",
          "Kue lapis sagu warna-warni, legit dan lembut, untuk oleh-oleh dari Kota Pontianak."),
        P("Kue Sagu Keju", "makanan", 40000, 65000, "toples",
          "Kue kering sagu keju yang lumer di mulut, dipanggang setiap hari."),
        P("Kue Putu Mayang", "makanan", 15000, 25000, "kotak",
          "Putu mayang dengan kuah santan gula merah."),
        P("Kue Bolu Pandan", "makanan", 35000, 55000, "kotak",
          "Bolu pandan lembut beraroma daun pandan segar."),
    ),
    kbli="10710",
    colors=((240, 200, 150), (190, 110, 60), (250, 240, 220)),
    motif="circles",
    certs=FOOD_CERTS,
    weight=2,
)

KOPI = Family(
    key="kopi",
    group="minuman",
    unit_prefixes=("Kopi", "Roastery", "Kopi Bubuk"),
    unit_description="Penyangrai kopi robusta dan liberika dari kebun rakyat Kalimantan Barat.",
    products=(
        P("Kopi Bubuk Robusta Khatulistiwa", "minuman", 25000, 50000, "bungkus",
          "Kopi bubuk robusta sangrai sedang, diseduh ala warung kopi Pontianak."),
        P("Kopi Liberika Rasau Jaya", "minuman", 45000, 85000, "bungkus",
          "Kopi liberika dari lahan gambut Kubu Raya, aroma buah nangka."),
        P("Kopi Biji Robusta Sangrai", "minuman", 60000, 110000, "kg",
          "Biji kopi robusta sangrai untuk kedai kopi."),
        P("Kopi Tubruk Sachet", "minuman", 15000, 25000, "paket",
          "Kopi tubruk dalam sachet praktis."),
        P("Kopi Jahe Merah", "herbal", 20000, 35000, "bungkus",
          "Kopi dengan jahe merah untuk menghangatkan badan."),
    ),
    kbli="10761",
    colors=((90, 55, 35), (150, 100, 60), (230, 210, 180)),
    motif="circles",
    certs=("halal", "spp_irt", "merek", "sni"),
)

TENUN_INSANG = Family(
    key="tenun_insang",
    group="fashion",
    unit_prefixes=("Tenun Corak Insang", "Kain Corak Insang", "Galeri Tenun"),
    unit_description=(
        "Penenun kain corak insang, motif khas Melayu Pontianak yang terinspirasi insang ikan."
    ),
    products=(
        P("Kain Tenun Corak Insang", "fashion", 350000, 900000, "lembar",
          "Kain tenun corak insang ditenun dengan alat tenun gedogan, kerajinan tangan asli."),
        P("Selendang Corak Insang", "fashion", 150000, 350000, "lembar",
          "Selendang tenun corak insang untuk acara adat dan pernikahan."),
        P("Kemeja Corak Insang", "fashion", 250000, 450000, "pcs",
          "Kemeja pria dari kain tenun corak insang."),
        P("Syal Tenun Insang", "fashion", 100000, 200000, "pcs",
          "Syal tenun ringan bermotif insang."),
        P("Tas Tenun Corak Insang", "fashion", 150000, 300000, "pcs",
          "Tas jinjing dari potongan kain tenun corak insang."),
    ),
    kbli="13121",
    colors=((150, 30, 60), (220, 180, 60), (40, 60, 120)),
    motif="diamonds",
    kecamatan=("61.71.02", "61.71.03", "61.71.04"),
    certs=TEXTILE_CERTS,
    capacity_unit="lembar",
)

MANIK = Family(
    key="manik",
    group="perhiasan",
    unit_prefixes=("Manik", "Galeri Manik", "Kerajinan Manik"),
    unit_description="Perajin manik-manik Dayak: kalung, gelang dan aksesori dengan motif khas.",
    products=(
        P("Kalung Manik Dayak", "perhiasan", 75000, 250000, "pcs",
          "Kalung manik-manik motif Dayak, kerajinan tangan perajin Kalimantan Barat."),
        P("Gelang Manik Dayak", "perhiasan", 25000, 75000, "pcs",
          "Gelang manik warna-warni dengan motif burung enggang."),
        P("Tas Manik Motif Enggang", "kerajinan", 250000, 600000, "pcs",
          "Tas anyaman berhias manik motif enggang, kerajinan tangan."),
        P("Anting Manik", "perhiasan", 25000, 60000, "pcs",
          "Anting manik ringan untuk sehari-hari."),
        P("Gantungan Kunci Manik Enggang", "kerajinan", 10000, 20000, "pcs",
          "Gantungan kunci manik-manik bermotif burung enggang."),
    ),
    kbli="32111",
    colors=((30, 120, 160), (230, 80, 60), (250, 210, 70)),
    motif="circles",
    certs=CRAFT_CERTS,
    capacity_unit="pcs",
)

KOSMETIK = Family(
    key="kosmetik",
    group="kosmetik",
    unit_prefixes=("Kosmetik Alami", "Rumah Cantik", "Perawatan Alami"),
    unit_description="Pembuat sabun dan perawatan tubuh dari bahan alam Kalimantan.",
    products=(
        P("Sabun Lidah Buaya", "kosmetik", 15000, 30000, "pcs",
          "Sabun batang dari ekstrak lidah buaya, lembut di kulit."),
        P("Lulur Tradisional Beras Kencur", "kosmetik", 25000, 45000, "toples",
          "Lulur beras kencur untuk perawatan kulit."),
        P("Bedak Dingin Pontianak", "kosmetik", 10000, 20000, "bungkus",
          "Bedak dingin tradisional dari tepung beras dan bunga."),
        P("Minyak Tengkawang", "kosmetik", 50000, 90000, "botol",
          "Minyak tengkawang murni untuk pelembap kulit dan rambut."),
        P("Sabun Madu Kelulut", "kosmetik", 20000, 35000, "pcs",
          "Sabun madu kelulut dengan aroma lembut."),
    ),
    kbli="20232",
    colors=((240, 220, 230), (150, 200, 170), (200, 120, 150)),
    motif="circles",
    certs=("halal", "merek"),
    capacity_unit="pcs",
)

HERBAL = Family(
    key="herbal",
    group="herbal",
    unit_prefixes=("Jamu", "Herbal", "Teh Herbal"),
    unit_description="Peracik jamu dan teh herbal dari tanaman obat pekarangan.",
    products=(
        P("Teh Daun Kelor", "herbal", 20000, 35000, "kotak",
          "Teh daun kelor kering, kaya antioksidan."),
        P("Jamu Kunyit Asam", "herbal", 8000, 15000, "botol",
          "Jamu kunyit asam segar tanpa pengawet."),
        P("Teh Bajakah", "herbal", 35000, 70000, "bungkus",
          "Potongan akar bajakah untuk diseduh sebagai teh herbal."),
        P("Wedang Jahe Merah Instan", "herbal", 20000, 30000, "bungkus",
          "Serbuk jahe merah instan dengan gula aren."),
        P("Teh Akar Kuning", "herbal", 25000, 45000, "bungkus",
          "Teh dari akar kuning hutan Kalimantan."),
    ),
    kbli="21022",
    colors=((90, 140, 60), (200, 170, 60), (240, 240, 210)),
    motif="waves",
    certs=("halal", "spp_irt", "merek", "bpom_md"),
)

KERAMIK = Family(
    key="keramik",
    group="kerajinan",
    unit_prefixes=("Keramik", "Keramik Naga", "Tungku Keramik"),
    unit_description=(
        "Perajin keramik Singkawang yang membakar guci dan tempayan di tungku naga, warisan "
        "perajin Tionghoa sejak 1930-an; kerajinan tangan dari tanah liat Sakkok."
    ),
    products=(
        P("Keramik Singkawang Guci Naga", "kerajinan", 350000, 2500000, "pcs",
          "Guci keramik bermotif naga, dibakar di tungku naga Sakkok; kerajinan tangan."),
        P("Keramik Singkawang Tempayan", "kerajinan", 250000, 1200000, "pcs",
          "Tempayan keramik besar untuk air dan hiasan rumah."),
        P("Keramik Singkawang Vas Bunga", "kerajinan", 75000, 350000, "pcs",
          "Vas bunga keramik berglasir dengan lukisan tangan."),
        P("Keramik Singkawang Piring Hias", "kerajinan", 50000, 200000, "pcs",
          "Piring hias keramik untuk dinding dan meja."),
        P("Keramik Singkawang Pot Tanaman", "kerajinan", 35000, 150000, "pcs",
          "Pot tanaman keramik tahan cuaca."),
        P("Keramik Singkawang Celengan", "kerajinan", 25000, 75000, "pcs",
          "Celengan keramik berbentuk hewan shio."),
        P("Keramik Singkawang Set Cangkir Teh", "kerajinan", 150000, 400000, "set",
          "Satu set teko dan cangkir teh keramik."),
    ),
    kbli="23939",
    colors=((170, 60, 40), (40, 90, 140), (230, 220, 200)),
    motif="jar",
    kecamatan=("61.72.05",),
    certs=("merek", "desain_industri", "hak_cipta", "sni"),
    capacity_unit="pcs",
    weight=4,
)

CHOIPAN = Family(
    key="choipan",
    group="makanan",
    unit_prefixes=("Choi Pan", "Dapur", "Kue Tradisional"),
    unit_description="Dapur kuliner Tionghoa Singkawang: choi pan, kue keranjang dan kue bulan.",
    products=(
        P("Choi Pan Bengkuang Beku", "makanan", 30000, 50000, "kotak",
          "Choi pan isi bengkuang dan ebi, dibekukan agar awet."),
        P("Kue Keranjang Singkawang", "makanan", 25000, 60000, "pcs",
          "Kue keranjang manis untuk perayaan Imlek."),
        P("Kue Bulan Kacang Hijau", "makanan", 15000, 30000, "pcs", "Kue bulan isi kacang hijau."),
        P("Choi Pan Ebi", "makanan", 30000, 50000, "kotak",
          "Choi pan isi ebi dan bengkuang, dikukus, khas Singkawang."),
        P("Kue Lapis Singkawang", "makanan", 40000, 70000, "kotak",
          "Kue lapis kukus khas Singkawang, manis dan kenyal."),
    ),
    kbli="10710",
    colors=((230, 60, 50), (250, 200, 60), (250, 240, 230)),
    motif="circles",
    certs=("spp_irt", "merek", "halal"),
)

FURNITUR = Family(
    key="furnitur",
    group="furnitur",
    unit_prefixes=("Mebel", "Furnitur Rotan", "Ukiran Kayu"),
    unit_description="Bengkel mebel rotan dan kayu olahan, dikerjakan tangan oleh tukang setempat.",
    products=(
        P("Kursi Rotan Teras", "furnitur", 450000, 1200000, "pcs",
          "Kursi rotan asli Kalimantan dengan anyaman rapat."),
        P("Meja Kayu Belian", "furnitur", 1200000, 4500000, "pcs",
          "Meja dari kayu belian (ulin) bekas yang didaur ulang."),
        P("Rak Rotan Serbaguna", "furnitur", 250000, 600000, "pcs",
          "Rak rotan untuk dapur dan ruang tamu."),
        P("Ayunan Rotan", "furnitur", 600000, 1500000, "pcs",
          "Ayunan gantung dari rotan, kerajinan tangan."),
        P("Lemari Kayu Ukir", "furnitur", 2500000, 7500000, "pcs",
          "Lemari kayu dengan ukiran motif pakis."),
    ),
    kbli="31001",
    colors=((140, 100, 60), (200, 160, 110), (80, 60, 40)),
    motif="stripes",
    certs=("merek", "desain_industri", "sni"),
    capacity_unit="pcs",
)

TENUN_SINTANG = Family(
    key="tenun_ikat",
    group="fashion",
    unit_prefixes=("Tenun Ikat", "KUB Tenun", "Rumah Tenun"),
    unit_description=(
        "Kelompok penenun ikat Dayak yang memakai pewarna alam dari akar, daun dan kulit kayu; "
        "setiap kain adalah kerajinan tangan berbulan-bulan."
    ),
    products=(
        P("Kain Tenun Ikat Pewarna Alam", "fashion", 750000, 3500000, "lembar",
          "Kain tenun ikat Dayak dengan pewarna alam, motif leluhur; kerajinan tangan."),
        P("Selendang Tenun Ikat", "fashion", 250000, 750000, "lembar",
          "Selendang tenun ikat motif tradisional."),
        P("Tas Tenun Ikat", "fashion", 150000, 400000, "pcs",
          "Tas dengan aplikasi kain tenun ikat."),
        P("Syal Tenun Ikat", "fashion", 150000, 350000, "pcs",
          "Syal tenun ikat ringan pewarna alam."),
        P("Taplak Meja Tenun Ikat", "kerajinan", 200000, 450000, "lembar",
          "Taplak meja dari kain tenun ikat."),
        P("Dompet Tenun Ikat", "fashion", 50000, 120000, "pcs",
          "Dompet kecil berlapis kain tenun ikat."),
    ),
    kbli="13121",
    colors=((120, 40, 30), (30, 30, 40), (200, 150, 80)),
    motif="diamonds",
    certs=TEXTILE_CERTS,
    capacity_unit="lembar",
    weight=3,
)

TENUN_SAMBAS = Family(
    key="tenun_sambas",
    group="fashion",
    unit_prefixes=("Tenun Songket Sambas", "Kain Lunggi", "Tenun Sambas"),
    unit_description=(
        "Penenun kain songket Sambas (kain lunggi) dengan benang emas, diwariskan turun-temurun "
        "di Kecamatan Sambas."
    ),
    products=(
        P("Kain Tenun Songket Sambas", "fashion", 900000, 4500000, "lembar",
          "Kain songket Sambas (kain lunggi) benang emas, kerajinan tangan penenun Sambas."),
        P("Selendang Songket Sambas", "fashion", 300000, 900000, "lembar",
          "Selendang songket Sambas motif pucuk rebung."),
        P("Kopiah Sambas", "fashion", 75000, 250000, "pcs",
          "Kopiah khas Sambas dari anyaman resam, kerajinan tangan."),
        P("Kopiah Resam Sambas", "fashion", 100000, 300000, "pcs",
          "Kopiah dari serat tanaman resam, ringan dan awet."),
        P("Kain Tenun Sambas Motif Tabur", "fashion", 600000, 2000000, "lembar",
          "Kain tenun motif tabur bunga."),
    ),
    kbli="13121",
    colors=((120, 20, 40), (210, 170, 50), (30, 80, 60)),
    motif="diamonds",
    kecamatan=("61.01.01", "61.01.06", "61.01.04"),
    certs=TEXTILE_CERTS,
    capacity_unit="lembar",
    weight=3,
)

MAKANAN_SAMBAS = Family(
    key="makanan_sambas",
    group="makanan",
    unit_prefixes=("Dapur Khas Sambas", "Olahan Khas Sambas", "Kedai Khas Sambas"),
    unit_description="Pengolah makanan khas Melayu Sambas.",
    products=(
        P("Bubur Pedas Instan Sambas", "makanan", 15000, 30000, "bungkus",
          "Bubur pedas khas Sambas dalam kemasan instan."),
        P("Kue Tumpi Sambas", "makanan", 15000, 25000, "bungkus",
          "Kue tumpi renyah dari tepung beras."),
        P("Sirup Jeruk Sambas", "minuman", 25000, 40000, "botol",
          "Sirup dari jeruk Sambas (jeruk siam Tebas)."),
        P("Kerupuk Ikan Sambas", "makanan", 20000, 35000, "bungkus",
          "Kerupuk ikan dari pesisir Pemangkat, Sambas."),
        P("Kue Bingke Sambas", "makanan", 30000, 50000, "kotak", "Kue bingke tradisional Sambas."),
    ),
    kbli="10799",
    colors=((230, 120, 40), (250, 210, 120), (120, 60, 20)),
    motif="circles",
    certs=FOOD_CERTS,
)

TIKAR_PANDAN = Family(
    key="tikar_pandan",
    group="kerajinan",
    unit_prefixes=("Anyaman Pandan", "Tikar Pandan", "KUB Anyaman"),
    unit_description=(
        "Kelompok ibu-ibu penganyam tikar dan tas dari daun pandan hutan; kerajinan tangan "
        "khas Sukadana."
    ),
    products=(
        P("Tikar Pandan Motif", "kerajinan", 150000, 450000, "lembar",
          "Tikar anyaman daun pandan dengan motif warna alam, kerajinan tangan."),
        P("Tas Anyaman Pandan", "kerajinan", 75000, 200000, "pcs", "Tas jinjing anyaman pandan."),
        P("Topi Anyaman Pandan", "kerajinan", 35000, 80000, "pcs",
          "Topi pantai dari anyaman pandan."),
        P("Kotak Tisu Anyaman Pandan", "kerajinan", 25000, 50000, "pcs",
          "Kotak tisu anyaman pandan."),
        P("Dompet Anyaman Pandan", "kerajinan", 35000, 75000, "pcs",
          "Dompet kecil anyaman pandan berwarna alami."),
    ),
    kbli="16291",
    colors=((110, 150, 70), (200, 180, 110), (150, 70, 50)),
    motif="stripes",
    kecamatan=("61.11.01", "61.11.02"),
    certs=CRAFT_CERTS,
    capacity_unit="lembar",
    weight=2,
)

BIDAI = Family(
    key="bidai",
    group="kerajinan",
    unit_prefixes=("Bidai", "Anyaman Bidai", "Kerajinan Rotan"),
    unit_description=(
        "Perajin bidai, tikar dari bilah rotan dan kulit kayu yang diikat tali; kerajinan tangan "
        "Dayak di perbatasan Jagoi Babang."
    ),
    products=(
        P("Bidai Rotan", "kerajinan", 350000, 1500000, "lembar",
          "Bidai anyaman rotan dan kulit kayu kapuak, kerajinan tangan."),
        P("Bidai Motif Dayak", "kerajinan", 500000, 2000000, "lembar",
          "Bidai dengan motif Dayak Bidayuh."),
        P("Tas Rotan Bengkayang", "kerajinan", 100000, 300000, "pcs", "Tas rotan anyaman rapat."),
        P("Tempat Nasi Rotan", "kerajinan", 50000, 120000, "pcs",
          "Tempat nasi dari anyaman rotan."),
    ),
    kbli="16291",
    colors=((160, 110, 60), (90, 60, 30), (220, 190, 140)),
    motif="stripes",
    kecamatan=("61.07.07", "61.07.05", "61.07.04"),
    certs=CRAFT_CERTS,
    capacity_unit="lembar",
    weight=2,
)

IKAN_ASAP = Family(
    key="ikan_asap",
    group="makanan",
    unit_prefixes=("Ikan Asap", "Ikan Salai", "Olahan Ikan"),
    unit_description="Pengolah ikan sungai asap (salai) dengan pengasapan kayu tradisional.",
    products=(
        P("Ikan Asap Sungai", "makanan", 60000, 120000, "kg",
          "Ikan sungai asap yang dikeringkan perlahan dengan asap kayu."),
        P("Ikan Salai Baung", "makanan", 90000, 160000, "kg",
          "Ikan baung salai dari sungai Kapuas, awet tanpa pengawet."),
        P("Ikan Salai Lais", "makanan", 120000, 220000, "kg",
          "Ikan lais salai, lauk khas hulu Kapuas."),
        P("Abon Ikan Salai", "makanan", 35000, 60000, "toples",
          "Abon dari ikan salai, gurih dan tahan lama."),
    ),
    kbli="10211",
    colors=((120, 80, 50), (60, 50, 40), (200, 160, 120)),
    motif="waves",
    certs=("halal", "spp_irt", "merek"),
)

PAHATAN = Family(
    key="pahatan",
    group="kerajinan",
    unit_prefixes=("Pahatan Dayak", "Ukiran Dayak", "Sanggar Ukir"),
    unit_description=(
        "Sanggar perajin Dayak Kanayatn: pahatan kayu, perisai talawang dan topeng ukir; "
        "kerajinan tangan bermotif leluhur."
    ),
    products=(
        P("Pahatan Kayu Motif Dayak", "kerajinan", 150000, 1500000, "pcs",
          "Pahatan kayu motif Dayak, kerajinan tangan perajin Landak."),
        P("Perisai Talawang Ukir", "kerajinan", 250000, 900000, "pcs",
          "Perisai talawang kayu ringan dengan ukiran dan cat tradisional."),
        P("Patung Kayu Enggang", "kerajinan", 200000, 1200000, "pcs",
          "Patung burung enggang dari kayu pelaik."),
        P("Ukiran Dinding Motif Dayak", "kerajinan", 100000, 350000, "pcs",
          "Panel ukiran kayu motif Dayak untuk hiasan dinding."),
        P("Topeng Dayak Ukir", "kerajinan", 150000, 500000, "pcs",
          "Topeng kayu ukir untuk hiasan dinding."),
        P("Patung Ukir Dayak Mini", "kerajinan", 120000, 400000, "pcs",
          "Patung kayu ukir kecil bermotif Dayak untuk cendera mata."),
    ),
    kbli="16292",
    colors=((60, 40, 30), (180, 50, 40), (230, 200, 120)),
    motif="diamonds",
    kecamatan=("61.08.01", "61.08.02", "61.08.03"),
    certs=CRAFT_CERTS,
    capacity_unit="pcs",
    weight=3,
)

PENGKANG = Family(
    key="pengkang",
    group="makanan",
    unit_prefixes=("Pengkang", "Udang Serai", "Warung Pengkang"),
    unit_description=(
        "Penjual pengkang (ketan isi ebi dibakar dalam daun pisang) dan udang serai di jalur "
        "Pontianak–Singkawang."
    ),
    products=(
        P("Pengkang Ebi", "makanan", 15000, 30000, "paket",
          "Pengkang ketan isi ebi, dibakar dalam daun pisang, disajikan dengan sambal kepah."),
        P("Udang Serai", "makanan", 30000, 60000, "bungkus",
          "Udang goreng berbumbu serai khas Mempawah."),
        P("Sambal Kepah", "makanan", 20000, 35000, "toples", "Sambal kepah pendamping pengkang."),
        P("Kerupuk Udang Mempawah", "makanan", 20000, 40000, "bungkus",
          "Kerupuk udang dari pesisir Mempawah."),
        P("Pengkang Frozen", "makanan", 35000, 55000, "paket",
          "Pengkang beku untuk dikirim ke luar kota."),
    ),
    kbli="10799",
    colors=((120, 160, 60), (230, 170, 90), (250, 240, 220)),
    motif="circles",
    kecamatan=("61.02.15", "61.02.07", "61.02.01"),
    certs=FOOD_CERTS,
    weight=3,
)

KELADI_AIR = Family(
    key="keladi_air",
    group="kerajinan",
    unit_prefixes=("Anyaman Keladi Air", "KUB Keladi Air", "Kerajinan Keladi"),
    unit_description=(
        "Perajin anyaman dari serat tangkai keladi air yang tumbuh liar di rawa Kubu Raya; "
        "kerajinan tangan ramah lingkungan."
    ),
    products=(
        P("Tas Anyaman Keladi Air", "kerajinan", 100000, 300000, "pcs",
          "Tas anyaman serat keladi air, ringan dan kuat; kerajinan tangan."),
        P("Tikar Keladi Air", "kerajinan", 150000, 350000, "lembar",
          "Tikar dari serat keladi air."),
        P("Keranjang Keladi Air", "kerajinan", 50000, 150000, "pcs",
          "Keranjang serbaguna anyaman keladi air."),
        P("Sandal Anyaman Keladi Air", "kerajinan", 40000, 90000, "pcs",
          "Sandal hotel dari anyaman keladi air."),
        P("Tempat Pensil Keladi Air", "kerajinan", 20000, 45000, "pcs", "Tempat pensil anyaman."),
    ),
    kbli="16291",
    colors=((100, 140, 90), (190, 170, 120), (60, 80, 50)),
    motif="stripes",
    kecamatan=("61.12.09", "61.12.07", "61.12.01"),
    certs=CRAFT_CERTS,
    capacity_unit="pcs",
    weight=3,
)

NANAS = Family(
    key="nanas",
    group="makanan",
    unit_prefixes=("Olahan Nanas", "Keripik Nanas", "Dodol Nanas"),
    unit_description="Pengolah nanas dari kebun Sungai Ambawang menjadi keripik, dodol dan selai.",
    products=(
        P("Keripik Nanas", "makanan", 20000, 35000, "bungkus",
          "Keripik nanas vakum frying tanpa pengawet."),
        P("Dodol Nanas", "makanan", 15000, 25000, "bungkus", "Dodol nanas manis legit."),
        P("Selai Nanas", "makanan", 20000, 35000, "toples", "Selai nanas untuk kue nastar."),
        P("Sirup Nanas", "minuman", 25000, 40000, "botol", "Sirup nanas segar."),
        P("Kue Nastar Selai Nanas", "makanan", 50000, 90000, "toples",
          "Nastar dengan selai nanas Kubu Raya buatan sendiri."),
    ),
    kbli="10330",
    colors=((240, 200, 50), (100, 160, 60), (250, 240, 200)),
    motif="circles",
    kecamatan=("61.12.03", "61.12.01"),
    certs=FOOD_CERTS,
)

LOGAM = Family(
    key="logam",
    group="produk_logam",
    unit_prefixes=("Pandai Besi", "Bengkel Parang", "Mandau"),
    unit_description="Pandai besi yang menempa parang, mandau dan alat pertanian.",
    products=(
        P("Mandau Ukir Hulu Tanduk", "produk_logam", 750000, 3500000, "pcs",
          "Mandau tempa dengan hulu tanduk ukir dan sarung kayu, kerajinan tangan."),
        P("Parang Kebun", "produk_logam", 75000, 200000, "pcs",
          "Parang kebun baja per, tajam dan awet."),
        P("Pisau Dapur Tempa", "produk_logam", 50000, 150000, "pcs", "Pisau dapur tempa tangan."),
        P("Cangkul Tempa", "produk_logam", 80000, 150000, "pcs", "Cangkul tempa untuk petani."),
        P("Mandau Hias Miniatur", "produk_logam", 150000, 400000, "pcs",
          "Mandau miniatur untuk cendera mata."),
    ),
    kbli="25931",
    colors=((90, 90, 100), (170, 170, 180), (140, 60, 40)),
    motif="stripes",
    certs=("merek", "sni", "desain_industri"),
    capacity_unit="pcs",
)

TENUN_KAPUAS_HULU = Family(
    key="tenun_sidan",
    group="fashion",
    unit_prefixes=("Tenun Sidan", "Tenun Sungkit", "KUB Tenun"),
    unit_description=(
        "Penenun Dayak Iban dan Taman di Kapuas Hulu: kain sidan dan sungkit dengan pewarna "
        "alam; kerajinan tangan dari rumah betang."
    ),
    products=(
        P("Kain Tenun Sidan", "fashion", 900000, 4000000, "lembar",
          "Kain tenun sidan motif Dayak Taman, kerajinan tangan."),
        P("Kain Tenun Sungkit", "fashion", 750000, 3500000, "lembar",
          "Kain tenun sungkit Iban dengan teknik sungkit."),
        P("Selendang Sungkit", "fashion", 250000, 800000, "lembar",
          "Selendang tenun sungkit pewarna alam."),
        P("Tas Tenun Sidan", "fashion", 150000, 400000, "pcs", "Tas dari potongan tenun sidan."),
    ),
    kbli="13121",
    colors=((110, 30, 30), (230, 190, 120), (30, 30, 30)),
    motif="diamonds",
    kecamatan=("61.06.12", "61.06.04", "61.06.01", "61.06.17"),
    certs=TEXTILE_CERTS,
    capacity_unit="lembar",
    weight=2,
)

MADU_SENTARUM = Family(
    key="madu_sentarum",
    group="makanan",
    unit_prefixes=("Madu Hutan Danau Sentarum", "Periau Madu", "Madu Sentarum"),
    unit_description=(
        "Kelompok periau (petani madu) di Danau Sentarum yang memanen madu hutan dengan sistem "
        "tikung lestari."
    ),
    products=(
        P("Madu Hutan Danau Sentarum", "makanan", 120000, 200000, "botol",
          "Madu hutan dari Taman Nasional Danau Sentarum, dipanen dengan sistem tikung."),
        P("Madu Hutan Sentarum 1 kg", "makanan", 200000, 350000, "kg",
          "Madu hutan murni kemasan 1 kilogram."),
        P("Madu Kelulut Sentarum 250 ml", "herbal", 90000, 150000, "botol",
          "Madu lebah kelulut dari hutan sekitar Danau Sentarum."),
        P("Madu Hutan Sentarum Sachet", "makanan", 25000, 40000, "paket",
          "Madu hutan Danau Sentarum dalam sachet praktis."),
    ),
    kbli="10799",
    colors=((220, 160, 40), (60, 100, 60), (250, 230, 180)),
    motif="circles",
    kecamatan=("61.06.12", "61.06.09", "61.06.10"),
    certs=("halal", "spp_irt", "merek", "sni"),
    capacity_unit="liter",
    weight=2,
)

SEKADAU = Family(
    key="sekadau",
    group="makanan",
    unit_prefixes=("Kerupuk", "Keripik", "Kerupuk dan Keripik"),
    unit_description="Pembuat kerupuk dan keripik dari hasil kebun dan sungai Sekadau.",
    products=(
        P("Kerupuk Basah Sekadau", "makanan", 20000, 35000, "pcs",
          "Kerupuk basah ikan sungai khas Sekadau."),
        P("Kerupuk Ikan Sungai Sekadau", "makanan", 20000, 35000, "bungkus",
          "Kerupuk ikan sungai untuk digoreng di rumah."),
        P("Keripik Pisang Sekadau", "makanan", 12000, 25000, "bungkus",
          "Keripik pisang kepok manis dan asin dari kebun rakyat Sekadau."),
        P("Keripik Singkong Pedas", "makanan", 12000, 25000, "bungkus", "Keripik singkong balado."),
        P("Kerupuk Kulit Ikan Sekadau", "makanan", 15000, 30000, "bungkus",
          "Kerupuk kulit ikan toman yang renyah."),
    ),
    kbli="10799",
    colors=((200, 100, 50), (240, 220, 170), (100, 70, 40)),
    motif="waves",
    certs=FOOD_CERTS,
)

# kab/kota code -> (units at scale 1, families)
KABUPATEN: dict[str, tuple[int, tuple[Family, ...]]] = {
    "61.71": (44, (ALOE, KUE_PONTIANAK, TENUN_INSANG, KOPI, MANIK, KOSMETIK, HERBAL)),
    "61.72": (26, (KERAMIK, CHOIPAN, FURNITUR)),
    "61.03": (24, (LEMPOK, MADU, GULA_AREN, MANIK)),
    "61.04": (22, (AMPLANG, FURNITUR, MADU)),
    "61.05": (20, (TENUN_SINTANG, MADU, IKAN_ASAP)),
    "61.01": (24, (TENUN_SAMBAS, MAKANAN_SAMBAS, FURNITUR)),
    "61.11": (14, (TIKAR_PANDAN, LEMPOK, AMPLANG)),
    "61.07": (18, (BIDAI, MADU, IKAN_ASAP)),
    "61.08": (18, (PAHATAN, MADU, KOPI)),
    "61.02": (20, (PENGKANG, KUE_PONTIANAK, HERBAL)),
    "61.12": (30, (KELADI_AIR, KOPI, NANAS, LOGAM, MADU)),
    "61.06": (18, (TENUN_KAPUAS_HULU, MADU_SENTARUM, IKAN_ASAP)),
    "61.10": (14, (TENUN_SINTANG, LOGAM, MADU)),
    "61.09": (14, (SEKADAU, TENUN_SINTANG, MADU)),
}

# Approximate centres of the kab/kota seats (for demo coordinates).
CENTRES = {
    "61.01": (1.36, 109.30), "61.02": (0.36, 108.96), "61.03": (0.12, 110.59),
    "61.04": (-1.85, 109.97), "61.05": (0.07, 111.49), "61.06": (0.85, 112.93),
    "61.07": (0.82, 109.48), "61.08": (0.42, 109.96), "61.09": (0.03, 110.95),
    "61.10": (-0.34, 111.69), "61.11": (-1.23, 109.98), "61.12": (-0.33, 109.40),
    "61.71": (-0.03, 109.33), "61.72": (0.91, 108.98),
}

# Sentra IKM: (name, desa/kelurahan code, family key, units placed there)
SENTRA = (
    ("Sentra Keramik Sakkok", "61.72.05.1001", "keramik", 8),
    ("Sentra Lidah Buaya Siantan", "61.71.04.1001", "aloe", 7),
    ("Sentra Amplang Delta Pawan", "61.04.16.1001", "amplang", 6),
    ("Sentra Lempok Durian Tanjung Kapuas", "61.03.01.1001", "lempok", 6),
    ("Sentra Tenun Ikat Ladang", "61.05.01.1001", "tenun_ikat", 6),
    ("Sentra Tenun Songket Jagur", "61.01.01.2008", "tenun_sambas", 6),
    ("Sentra Tikar Pandan Sutera", "61.11.01.2001", "tikar_pandan", 5),
    ("Sentra Anyaman Keladi Air Sungai Kakap", "61.12.09.2001", "keladi_air", 5),
)

# Named units whose facts domain.md gives: OVOP of the 2015 decree and later assessments.
# (kab code, family key, unit name, owner, desa code, ovop stars, paten?)
HEROES = (
    ("61.71", "aloe", "Aloe Vera Khatulistiwa Siantan", "Hj. Nurhayati", "61.71.04.1001", 4),
    ("61.03", "lempok", "Lempok Durian Dara Sanggau", "Siti Rahmah", "61.03.01.1001", 3),
    ("61.04", "amplang", "Amplang Ikan Tenggiri Kayong", "H. Abdul Rasyid", "61.04.16.1001", 4),
    ("61.72", "keramik", "Keramik Naga Sakkok", "Tjhai Nyit Khim", "61.72.05.1001", 5),
)

BRANDS = (
    "Bumi Khatulistiwa", "Cahaya Kapuas", "Sinar Borneo", "Berkah Bersama", "Mandiri Jaya",
    "Rumah Betang", "Tunas Harapan", "Putri Kapuas", "Dara Juanti", "Enggang Emas",
    "Pelangi Sungai", "Anak Borneo", "Mekar Sari", "Sejahtera", "Amanah", "Barokah",
    "Tiga Saudara", "Keluarga Kita", "Bunda", "Kampung Kita", "Warisan Leluhur", "Tanjung Harapan",
    "Mutiara Kalbar", "Sumber Rezeki", "Lestari", "Cempaka", "Tengkawang", "Kumang", "Bujang Beji",
    "Dayang Sumbi", "Pusaka", "Seroja", "Kenanga", "Melati", "Kenari", "Ruai", "Kapuas Indah",
    "Lawang Kuari", "Bukit Kelam", "Pantai Kura-Kura",
)

FIRST_NAMES = (
    "Siti", "Nurhayati", "Rusmini", "Fatimah", "Aminah", "Rahmawati", "Yuliana", "Maria",
    "Kristina", "Agustina", "Yohana", "Dayang", "Uray", "Mariani", "Suryani", "Herlina",
    "Muhammad", "Abdul", "Syarif", "Ahmad", "Yohanes", "Agustinus", "Stefanus", "Paulus", "Lim",
    "Bong", "Tjhai", "Budi", "Rudi", "Hendra", "Sulaiman", "Ismail", "Daniel", "Marselus",
)
LAST_NAMES = (
    "Aminah", "Hasanah", "Rahman", "Yusuf", "Abdullah", "Kadir", "Alek", "Ajun", "Lenda", "Iyut",
    "Bun Kiat", "Siu Fa", "Nyit Khim", "Usman", "Maimunah", "Norma", "Saleh", "Hamid", "Kurniawan",
    "Santoso", "Setiawan", "Lestari", "Wati", "Sari", "Apui", "Ngau",
)

STREETS = (
    "Jl. Khatulistiwa", "Jl. Gusti Situt Mahmud", "Jl. Tanjung Raya", "Jl. Ahmad Yani",
    "Jl. Diponegoro", "Jl. Sultan Hamid", "Jl. Merdeka", "Jl. Pahlawan", "Jl. Kapuas",
    "Jl. Raya Desa", "Jl. Lintas Kalimantan", "Jl. Sudirman", "Gg. Sepakat", "Gg. Mawar",
)

SELLING_POINTS = (
    "Cocok untuk oleh-oleh khas Kalimantan Barat.",
    "Dikemas rapi dan aman untuk pengiriman ke luar kota.",
    "Dibuat oleh perajin lokal dengan bahan dari Kalimantan Barat.",
    "Produk binaan Dinas Perindustrian dan Perdagangan Provinsi Kalimantan Barat.",
    "Tersedia untuk pesanan partai besar dan hantaran.",
    "Pernah tampil di pameran Griya IKM dan Kalbar Expo.", "", "",
)

CERT_TYPES = (
    "halal", "merek", "desain_industri", "hak_cipta", "paten", "ovop", "spp_irt", "sni", "bpom_md",
)

FAMILIES = {f.key: f for _n, fams in KABUPATEN.values() for f in fams}

# The trade of each family: every product's name holds one of its words, so a unit's products
# and pictures fit what it makes (tests/demo/test_demo_coherence.py).
TRADE_WORDS = {
    "aloe": ("lidah buaya", "aloe"),
    "kue_pontianak": ("kue", "lapis", "bingke"),
    "tenun_insang": ("corak insang", "tenun insang"),
    "kopi": ("kopi",),
    "manik": ("manik",),
    "kosmetik": ("sabun", "lulur", "bedak", "minyak"),
    "herbal": ("teh", "jamu", "wedang"),
    "keramik": ("keramik",),
    "choipan": ("choi pan", "kue"),
    "furnitur": ("rotan", "kayu"),
    "lempok": ("durian",),
    "madu": ("madu", "kelulut"),
    "gula_aren": ("aren", "kolang-kaling"),
    "amplang": ("amplang", "kerupuk ikan"),
    "tenun_ikat": ("tenun ikat",),
    "ikan_asap": ("ikan",),
    "tenun_sambas": ("sambas",),
    "makanan_sambas": ("sambas",),
    "tikar_pandan": ("pandan",),
    "bidai": ("bidai", "rotan"),
    "pahatan": ("pahatan", "ukir", "patung"),
    "pengkang": ("pengkang", "udang", "kepah"),
    "keladi_air": ("keladi air",),
    "nanas": ("nanas",),
    "logam": ("mandau", "parang", "pisau", "cangkul"),
    "tenun_sidan": ("tenun", "sungkit"),
    "madu_sentarum": ("madu",),
    "sekadau": ("kerupuk", "keripik"),
}


# fmt: on


def all_product_types() -> list[tuple[Family, ProductType]]:
    return [(f, p) for f in FAMILIES.values() for p in f.products]
