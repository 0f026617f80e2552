"""The demo shop's goods: categories and products as plain data, read by `shop.cli.demo`.

Each product is a dict:

* `category`: the slug of its (second-level) category; `picture`: the drawing in
  `shop.cli.demo_pictures` that shows it, with optional `style` for that drawing;
* `ru`/`en`: names; `about_ru`/`about_en`: the description, written for this product alone;
* `price` in roubles, or `prices` per size; `old_price` (or `old_prices`) marks it on sale;
* `sizes` (None for one-size goods) and `colours` (stored Russian names that
  `shop.catalog.attributes` translates; None when the product comes in one look);
* `weight` in grams with its packaging, or `weights` per size, for the delivery's scales;
* `new`: listed among the newest; `featured`: recommended on the home page.

Sizes and colours are written so both languages read them: letters S–XL, shoe sizes, "Ø24"
for a diameter, "70×140" for a towel; a unit that needs words goes into the name instead.
"""

CLOTHES = ("S", "M", "L", "XL")
CLOTHES_WIDE = ("XS", "S", "M", "L", "XL")
JEANS = ("28", "30", "32", "34", "36")
SNEAKERS = ("39", "40", "41", "42", "43", "44", "45")
BOOTS = ("40", "41", "42", "43", "44", "45", "46")
GLOVES = ("S", "M", "L")

# (slug, ru, en, [(child slug, ru, en), ...])
CATEGORIES = [
    ("clothing", "Одежда", "Clothing", [
        ("t-shirts", "Футболки", "T-shirts"),
        ("hoodies", "Худи и свитшоты", "Hoodies and sweatshirts"),
        ("jeans", "Джинсы", "Jeans"),
    ]),
    ("shoes", "Обувь", "Shoes", [
        ("sneakers", "Кроссовки и кеды", "Sneakers"),
        ("boots", "Ботинки и сапоги", "Boots"),
    ]),
    ("accessories", "Аксессуары", "Accessories", [
        ("hats", "Шапки и кепки", "Hats and caps"),
        ("scarves-gloves", "Шарфы и перчатки", "Scarves and gloves"),
        ("bags", "Сумки и рюкзаки", "Bags and backpacks"),
    ]),
    ("kitchen", "Кухня", "Kitchen", [
        ("mugs", "Кружки и чашки", "Mugs and cups"),
        ("cookware", "Сковороды и кастрюли", "Pans and pots"),
        ("teapots", "Чайники", "Teapots and kettles"),
    ]),
    ("home", "Дом", "Home", [
        ("blankets", "Пледы и подушки", "Throws and cushions"),
        ("towels", "Полотенца", "Towels"),
        ("candles", "Свечи", "Candles"),
        ("plants", "Растения и кашпо", "Plants and planters"),
    ]),
    ("stationery", "Канцелярия", "Stationery", [
        ("notebooks", "Блокноты", "Notebooks"),
        ("pens", "Ручки и карандаши", "Pens and pencils"),
    ]),
]

PRODUCTS = [
    # --- T-shirts -------------------------------------------------------------------------
    dict(
        category="t-shirts", picture="tshirt", brand="Lavka", featured=True,
        ru="Футболка базовая хлопковая", en="Basic cotton T-shirt",
        about_ru="Плотный хлопок 180 г/м² держит форму и не просвечивает даже в белом цвете. "
        "Горловина обработана эластичной бейкой, поэтому не растягивается после стирок. "
        "Стирайте при 40 °C наизнанку, гладьте со стороны изнанки.",
        about_en="Dense 180 gsm cotton keeps its shape and is not see-through, even in white. "
        "The neckline is finished with ribbed binding, so it does not stretch out after washing. "
        "Wash inside out at 40 °C and iron on the reverse.",
        price=990, sizes=CLOTHES_WIDE, colours=("белый", "чёрный", "серый"), weight=180,
    ),
    dict(
        category="t-shirts", picture="tshirt", style="oversized", brand="Nord", new=True,
        ru="Футболка оверсайз", en="Oversized T-shirt",
        about_ru="Свободный силуэт со спущенным плечом и удлинёнными рукавами до локтя. "
        "Ткань — кулирка с добавлением 5 % эластана, мягкая и немнущаяся. "
        "Если сомневаетесь между размерами, берите меньший: крой и так просторный.",
        about_en="A loose fit with a dropped shoulder and sleeves that reach the elbow. "
        "Single jersey with 5% elastane: soft and crease-free. "
        "If you are between sizes, take the smaller one — the cut is roomy by design.",
        price=1490, sizes=CLOTHES, colours=("бежевый", "чёрный"), weight=230,
    ),
    dict(
        category="t-shirts", picture="tshirt", style="longsleeve", brand="Lavka",
        ru="Лонгслив хлопковый", en="Long-sleeve cotton T-shirt",
        about_ru="Лонгслив с узкими манжетами, который удобно носить под рубашку или жилет. "
        "Хлопок гребенной, без швов по бокам — ничего не натирает. "
        "Машинная стирка при 30 °C, сушить в расправленном виде.",
        about_en="A long-sleeve tee with narrow cuffs, easy to layer under a shirt or a vest. "
        "Combed cotton, knitted as a tube with no side seams, so nothing rubs. "
        "Machine wash at 30 °C and dry flat.",
        price=1690, sizes=CLOTHES, colours=("синий", "белый"), weight=240,
    ),
    dict(
        category="t-shirts", picture="tshirt", style="polo", brand="Nord",
        ru="Поло из пике", en="Piqué polo shirt",
        about_ru="Классическое поло с воротником и планкой на три перламутровые пуговицы. "
        "Пике с рельефным плетением дышит в жару и выглядит аккуратно даже в офисе. "
        "Стирка при 40 °C, воротник лучше сушить расправленным.",
        about_en="A classic polo with a knitted collar and a three-button placket "
        "with mother-of-pearl buttons. Textured piqué breathes in the heat and still looks smart "
        "at the office. Wash at 40 °C and dry the collar flat.",
        price=2290, old_price=2790, sizes=CLOTHES, colours=("синий", "белый", "зелёный"),
        weight=260,
    ),
    dict(
        category="t-shirts", picture="tshirt", style="linen", brand="Volga", new=True,
        ru="Футболка изо льна", en="Linen T-shirt",
        about_ru="Лён с вологодской фабрики, предварительно умягчённый, поэтому не колется "
        "с первой носки. В жару ткань быстро сохнет и не липнет к телу. "
        "Допускается лёгкая усадка до 3 % после первой стирки при 40 °C.",
        about_en="Linen from a mill in Vologda, pre-softened so it does not scratch from the "
        "first wear. In hot weather it dries quickly and never clings. "
        "Allow for up to 3% shrinkage after the first wash at 40 °C.",
        price=2490, sizes=CLOTHES, colours=("голубой", "бежевый"), weight=200,
    ),
    dict(
        category="t-shirts", picture="tshirt", style="striped", brand="Lavka",
        ru="Тельняшка с коротким рукавом", en="Striped Breton T-shirt",
        about_ru="Полоски вывязаны в самом полотне, а не напечатаны, так что не выцветают. "
        "Ширина полосы — 1 см, как у настоящей флотской тельняшки. "
        "Хлопок 100 %, стирать с похожими цветами при 30 °C.",
        about_en="The stripes are knitted into the fabric rather than printed, so they do not "
        "fade. Each stripe is 1 cm wide, like on a real navy top. "
        "100% cotton; wash with similar colours at 30 °C.",
        price=1890, sizes=CLOTHES_WIDE, colours=("синий", "красный"), weight=190,
    ),
    # --- Hoodies and sweatshirts -------------------------------------------------------------
    dict(
        category="hoodies", picture="hoodie", style="zip", brand="Nord",
        ru="Худи на молнии", en="Zip-up hoodie",
        about_ru="Трёхнитка с начёсом: снаружи гладкая, изнутри мягкая и тёплая. "
        "Металлическая молния идёт до самого капюшона, карманы — с обеих сторон. "
        "Стирать при 30 °C, не сушить в барабане, чтобы не свалялся начёс.",
        about_en="Brushed-back fleece: smooth on the outside, soft and warm inside. "
        "A metal zip runs all the way up to the hood, with pockets on both sides. "
        "Wash at 30 °C; do not tumble dry or the brushed side will pill.",
        price=3990, sizes=CLOTHES, colours=("серый", "чёрный"), weight=620,
    ),
    dict(
        category="hoodies", picture="hoodie", brand="Taiga",
        ru="Худи флисовое тёплое", en="Warm fleece hoodie",
        about_ru="Полярфлис плотностью 300 г/м² заменяет лёгкую куртку в сентябре. "
        "Капюшон двухслойный, утяжка на шнурке, спереди — карман-кенгуру. "
        "Флис не боится стирки при 40 °C и сохнет за пару часов.",
        about_en="300 gsm polar fleece stands in for a light jacket in September. "
        "A double-layer hood with a drawcord and a kangaroo pocket at the front. "
        "The fleece is fine at 40 °C and dries in a couple of hours.",
        price=4590, old_price=5490, sizes=CLOTHES, colours=("зелёный", "серый"), weight=700,
    ),
    dict(
        category="hoodies", picture="sweatshirt", brand="Lavka",
        ru="Свитшот классический", en="Classic sweatshirt",
        about_ru="Простой свитшот с круглым вырезом и манжетами из кашкорсе. "
        "Небольшой треугольник под горловиной не даёт вырезу растягиваться. "
        "Подходит к джинсам и к брюкам чинос; стирка при 30 °C.",
        about_en="A plain crew-neck sweatshirt with ribbed cuffs and hem. "
        "A small V insert under the neckline stops it from stretching. "
        "Goes with jeans and chinos alike; wash at 30 °C.",
        price=2990, sizes=CLOTHES_WIDE, colours=("серый", "синий", "бежевый"), weight=480,
    ),
    dict(
        category="hoodies", picture="sweatshirt", style="organic", brand="Volga", new=True,
        ru="Свитшот из органического хлопка", en="Organic cotton sweatshirt",
        about_ru="Хлопок выращен без пестицидов и сертифицирован по международному стандарту "
        "органического текстиля. "
        "Окрашен натуральными красителями, поэтому оттенок может немного отличаться "
        "от партии к партии. Стирка при 30 °C с мягким средством.",
        about_en="Cotton grown without pesticides and certified to the GOTS standard. "
        "Dyed with natural dyes, so the shade may vary slightly from batch to batch. "
        "Wash at 30 °C with a mild detergent.",
        price=3790, sizes=CLOTHES, colours=("розовый", "бежевый"), weight=470,
    ),
    dict(
        category="hoodies", picture="cardigan", brand="Volga",
        ru="Кардиган шерстяной", en="Wool cardigan",
        about_ru="Кардиган из мериносовой шерсти с вырезом мысом и деревянными "
        "пуговицами. Шерсть греет, но не колется, и почти не впитывает запахи. "
        "Стирать вручную в прохладной воде, сушить на полотенце.",
        about_en="A merino wool cardigan with a V-neck and wooden buttons. "
        "The wool is warm without itching and hardly holds on to smells. "
        "Hand wash in cool water and dry flat on a towel.",
        price=4990, sizes=CLOTHES, colours=("коричневый", "серый"), weight=520,
    ),
    # --- Jeans --------------------------------------------------------------------------------
    dict(
        category="jeans", picture="jeans", brand="Nord",
        ru="Джинсы прямые", en="Straight-leg jeans",
        about_ru="Классическая пятикарманка из денима 13 унций без стрейча. "
        "Первые недели ткань жёсткая, потом садится по фигуре и красиво вытирается. "
        "Размер — обхват талии в дюймах, длина по внутреннему шву 81 см.",
        about_en="Classic five-pocket jeans in 13 oz rigid denim. "
        "Stiff for the first few weeks, then they mould to you and fade beautifully. "
        "Sizes are the waist in inches; the inside leg is 81 cm.",
        price=3990, sizes=JEANS, colours=("синий", "чёрный"), weight=720,
    ),
    dict(
        category="jeans", picture="jeans", style="slim", brand="Nord",
        ru="Джинсы зауженные", en="Slim-fit jeans",
        about_ru="Узкие к низу джинсы с 2 % эластана — удобно и в машине, и на велосипеде. "
        "Посадка средняя, шлёвки усилены двойной строчкой. "
        "Стирать наизнанку при 30 °C, чтобы цвет держался дольше.",
        about_en="Jeans that taper to the ankle, with 2% elastane for comfort in the car "
        "or on a bike. Mid-rise, with belt loops reinforced by double stitching. "
        "Wash inside out at 30 °C to keep the colour longer.",
        price=4290, sizes=JEANS, colours=("синий", "серый"), weight=650,
    ),
    dict(
        category="jeans", picture="jeans", style="wide", brand="Lavka", new=True,
        ru="Джинсы широкие", en="Wide-leg jeans",
        about_ru="Свободные от бедра джинсы с высокой посадкой и длиной в пол. "
        "Деним светлой стирки, мягкий с первого дня. "
        "Низ можно подшить: в каждой паре — лишние 5 см.",
        about_en="High-rise jeans that are loose from the hip and reach the floor. "
        "Light-wash denim, soft from day one. "
        "Every pair has an extra 5 cm at the hem to take up.",
        price=4590, sizes=JEANS, colours=("голубой", "синий"), weight=780,
    ),
    dict(
        category="jeans", picture="jeans", style="lined", brand="Taiga",
        ru="Джинсы утеплённые", en="Lined winter jeans",
        about_ru="Внутри — флисовая подкладка, которая держит тепло до −15 °C. "
        "Снаружи это обычные джинсы, никто не догадается. "
        "Стирать при 30 °C, сушить вдали от батареи.",
        about_en="Fleece-lined inside and warm down to −15 °C. "
        "From the outside they look like ordinary jeans — nobody will know. "
        "Wash at 30 °C and keep away from the radiator when drying.",
        price=5290, old_price=6290, sizes=JEANS, colours=("синий", "чёрный"), weight=900,
    ),
    dict(
        category="jeans", picture="shorts", brand="Lavka",
        ru="Джинсовые шорты", en="Denim shorts",
        about_ru="Шорты длиной чуть выше колена с подгибом, который можно отвернуть. "
        "Хлопковый деним средней плотности не греет в жару. "
        "Стирка при 40 °C, гладить не обязательно.",
        about_en="Shorts that end just above the knee, with a turn-up you can roll down. "
        "Mid-weight cotton denim that stays cool on hot days. "
        "Wash at 40 °C; no need to iron.",
        price=2490, sizes=JEANS, colours=("голубой",), weight=380,
    ),
    # --- Sneakers -----------------------------------------------------------------------------
    dict(
        category="sneakers", picture="sneaker", style="runner", brand="Nord", featured=True,
        ru="Кроссовки беговые лёгкие", en="Lightweight running shoes",
        about_ru="Пена в подошве возвращает энергию шага, а пара весит меньше 500 граммов. "
        "Сетчатый верх хорошо вентилируется, пятка зафиксирована мягким задником. "
        "Подходят для бега по асфальту до полумарафона; размер соответствует российскому.",
        about_en="Foam in the midsole returns energy with every stride, and the pair weighs "
        "under 500 grams. The mesh upper breathes well and a padded heel counter holds the foot. "
        "Made for road running up to a half marathon; sizes are Russian.",
        price=6990, sizes=SNEAKERS, colours=("синий", "чёрный", "белый"), weight=560,
    ),
    dict(
        category="sneakers", picture="sneaker", style="leather", brand="Lavka",
        ru="Кроссовки кожаные белые", en="White leather sneakers",
        about_ru="Минималистичные кроссовки из гладкой кожи на вшитой резиновой подошве. "
        "Подкладка тоже кожаная, так что нога не потеет. "
        "Протирайте влажной тканью и раз в месяц обрабатывайте кремом для кожи.",
        about_en="Minimal sneakers in smooth leather on a stitched rubber cupsole. "
        "The lining is leather too, so your feet stay dry. "
        "Wipe with a damp cloth and treat with leather cream once a month.",
        price=7990, sizes=SNEAKERS, colours=("белый",), weight=900,
    ),
    dict(
        category="sneakers", picture="sneaker", style="trail", brand="Taiga", new=True,
        ru="Кроссовки трекинговые", en="Trail running shoes",
        about_ru="Протектор с шипами глубиной 5 мм держит на мокрой траве и глине. "
        "Носок усилен резиновым бампером от ударов о камни и корни. "
        "Мембрана не пропускает воду из луж, но лучше сушить пару при комнатной температуре.",
        about_en="5 mm lugs grip on wet grass and clay. "
        "A rubber toe bumper protects against rocks and roots. "
        "The membrane keeps puddles out; dry the pair at room temperature.",
        price=8490, sizes=SNEAKERS, colours=("зелёный", "серый"), weight=720,
    ),
    dict(
        category="sneakers", picture="sneaker", style="gym", brand="Nord",
        ru="Кроссовки для зала", en="Gym training shoes",
        about_ru="Плоская устойчивая подошва подходит для приседаний и тяги. "
        "Верх из плотного трикотажа обхватывает стопу как носок. "
        "Можно стирать в машинке в мешке для обуви при 30 °C.",
        about_en="A flat, stable sole for squats and deadlifts. "
        "The knitted upper hugs the foot like a sock. "
        "Machine washable in a shoe bag at 30 °C.",
        price=5490, old_price=6490, sizes=SNEAKERS, colours=("чёрный", "серый"), weight=640,
    ),
    dict(
        category="sneakers", picture="plimsoll", brand="Lavka",
        ru="Кеды парусиновые", en="Canvas plimsolls",
        about_ru="Кеды из плотной парусины на вулканизированной подошве. "
        "Летом их носят без носков: стелька хлопковая и вынимается для стирки. "
        "Маломерят на полразмера.",
        about_en="Plimsolls in heavy canvas on a vulcanised rubber sole. "
        "In summer they are worn without socks: the cotton insole lifts out for washing. "
        "They run half a size small.",
        price=2990, sizes=SNEAKERS, colours=("белый", "красный", "чёрный"), weight=480,
    ),
    # --- Boots --------------------------------------------------------------------------------
    dict(
        category="boots", picture="boot", style="winter", brand="Taiga", featured=True,
        ru="Ботинки зимние на меху", en="Fur-lined winter boots",
        about_ru="Натуральная овчина внутри и нубук снаружи держат тепло до −30 °C. "
        "Подошва из термопластичной резины не дубеет на морозе и не скользит по льду. "
        "Перед сезоном обработайте пропиткой, а соль снимайте влажной губкой.",
        about_en="Sheepskin inside and nubuck outside keep feet warm down to −30 °C. "
        "The thermoplastic rubber sole stays flexible in the frost and grips on ice. "
        "Waterproof them before the season and wipe road salt off with a damp sponge.",
        price=9990, sizes=BOOTS, colours=("коричневый", "чёрный"), weight=1600,
    ),
    dict(
        category="boots", picture="boot", style="chelsea", brand="Volga",
        ru="Челси кожаные", en="Leather Chelsea boots",
        about_ru="Челси из гладкой кожи с эластичными вставками и петлёй на заднике. "
        "Кожаная подошва с резиновой набойкой — подходит и к костюму, и к джинсам. "
        "Размер в размер; первые дни кожа может немного жать в подъёме.",
        about_en="Smooth leather Chelsea boots with elastic gussets and a pull tab. "
        "A leather sole with a rubber heel tip works with a suit or with jeans. "
        "True to size; the leather may feel snug over the instep for the first few days.",
        price=8990, sizes=BOOTS, colours=("коричневый", "чёрный"), weight=1300,
    ),
    dict(
        category="boots", picture="boot", style="hiking", brand="Taiga", new=True,
        ru="Ботинки трекинговые", en="Hiking boots",
        about_ru="Высокие ботинки для походов с грузом: жёсткий задник фиксирует голеностоп. "
        "Верх из замши и кордуры, мембрана защищает от росы и дождя. "
        "Шнуровка на крючках быстро затягивается даже в перчатках.",
        about_en="High boots for trekking with a pack: a firm heel counter supports the ankle. "
        "Suede and Cordura upper with a waterproof membrane against dew and rain. "
        "Speed hooks make lacing quick, even in gloves.",
        price=10490, sizes=BOOTS, colours=("коричневый", "серый"), weight=1450,
    ),
    dict(
        category="boots", picture="wellies", brand="Lavka",
        ru="Сапоги резиновые", en="Rubber wellington boots",
        about_ru="Сапоги из натурального каучука для дачи, рыбалки и осенних прогулок. "
        "Съёмный вкладыш из фетра можно высушить отдельно. "
        "Мыть тёплой водой, хранить вдали от солнца, чтобы резина не трескалась.",
        about_en="Natural rubber boots for the garden, fishing and autumn walks. "
        "The removable felt liner dries separately. "
        "Rinse with warm water and store away from the sun so the rubber does not crack.",
        price=2990, old_price=3490, sizes=BOOTS, colours=("зелёный", "жёлтый", "чёрный"),
        weight=1500,
    ),
    dict(
        category="boots", picture="valenki", brand="Volga",
        ru="Валенки с галошами", en="Felt boots with galoshes",
        about_ru="Катаные валенки из овечьей шерсти с прошитой резиновой галошей. "
        "Шерсть дышит, поэтому ноги не потеют даже в долгой прогулке. "
        "Сушить только при комнатной температуре, на батарее валенки садятся.",
        about_en="Traditional felted sheep's-wool boots with stitched-on rubber galoshes. "
        "The wool breathes, so feet stay dry even on a long walk. "
        "Dry at room temperature only: on a radiator felt boots shrink.",
        price=4990, sizes=BOOTS, colours=("серый", "белый"), weight=1200,
    ),
    # --- Hats and caps ------------------------------------------------------------------------
    dict(
        category="hats", picture="beanie", brand="Nord",
        ru="Шапка вязаная с отворотом", en="Knitted turn-up beanie",
        about_ru="Шапка резинкой из смеси мериноса и акрила с широким двойным отворотом. "
        "Растягивается на обхват головы от 54 до 60 см. "
        "Стирать вручную, сушить на плоской поверхности.",
        about_en="A rib-knit beanie in a merino and acrylic blend with a wide double turn-up. "
        "Stretches to fit heads from 54 to 60 cm. "
        "Hand wash and dry flat.",
        price=1290, colours=("серый", "красный", "жёлтый"), weight=90,
    ),
    dict(
        category="hats", picture="beanie", style="bobble", brand="Lavka", new=True,
        ru="Шапка с помпоном", en="Bobble hat",
        about_ru="Тёплая шапка с косами и пушистым помпоном из искусственного меха. "
        "Помпон на кнопке — его снимают перед стиркой. "
        "Внутри флисовая полоса, которая закрывает уши от ветра.",
        about_en="A warm cable-knit hat with a fluffy faux-fur bobble. "
        "The bobble snaps off before washing. "
        "A fleece band inside keeps the wind off your ears.",
        price=1490, colours=("белый", "синий"), weight=120,
    ),
    dict(
        category="hats", picture="cap", brand="Nord",
        ru="Кепка бейсбольная", en="Baseball cap",
        about_ru="Шестиклинка из плотного хлопкового твила с изогнутым козырьком. "
        "Сзади металлическая пряжка, которая регулирует обхват от 55 до 61 см. "
        "Чистить щёткой или вручную, не стирать в машинке.",
        about_en="A six-panel cap in heavy cotton twill with a curved peak. "
        "A metal buckle at the back adjusts it from 55 to 61 cm. "
        "Brush clean or hand wash; not for the washing machine.",
        price=990, colours=("чёрный", "бежевый", "синий"), weight=95,
    ),
    dict(
        category="hats", picture="bucket", brand="Lavka",
        ru="Панама хлопковая", en="Cotton bucket hat",
        about_ru="Панама с мягкими полями шириной 6 см, которые закрывают лицо от солнца. "
        "Складывается в карман и не мнётся. "
        "Стирка при 30 °C; обхват головы 57–58 см.",
        about_en="A bucket hat with a soft 6 cm brim that shades the face. "
        "Folds into a pocket without creasing. "
        "Wash at 30 °C; fits heads of 57–58 cm.",
        price=1190, old_price=1490, colours=("бежевый", "зелёный"), weight=80,
    ),
    dict(
        category="hats", picture="beret", brand="Volga",
        ru="Берет шерстяной", en="Wool beret",
        about_ru="Французский берет из валяной шерсти с хвостиком на макушке. "
        "Держит форму и не сползает благодаря кожаному кантику внутри. "
        "Чистка сухая или ручная стирка в прохладной воде.",
        about_en="A French beret in felted wool with a little stalk on top. "
        "It keeps its shape and stays put thanks to a leather band inside. "
        "Dry clean or hand wash in cool water.",
        price=1390, colours=("красный", "чёрный"), weight=70,
    ),
    # --- Scarves and gloves -------------------------------------------------------------------
    dict(
        category="scarves-gloves", picture="scarf", brand="Nord",
        ru="Шарф шерстяной", en="Wool scarf",
        about_ru="Длинный шарф 180 × 30 см с кистями, связанный из шерсти ягнёнка. "
        "Его можно обернуть дважды и завязать узлом. "
        "Стирать вручную при 30 °C, не выкручивать.",
        about_en="A long 180 × 30 cm lambswool scarf with tassels. "
        "Long enough to wrap twice and tie in a knot. "
        "Hand wash at 30 °C and do not wring.",
        price=1790, colours=("серый", "красный", "синий"), weight=220,
    ),
    dict(
        category="scarves-gloves", picture="scarf", style="check", brand="Volga",
        ru="Шарф в клетку", en="Check scarf",
        about_ru="Тканый шарф в шотландскую клетку из мягкой шерсти с кашемиром. "
        "Края обработаны короткой бахромой. "
        "Перед хранением летом уберите в хлопковый мешок с лавандой от моли.",
        about_en="A woven tartan scarf in soft wool with cashmere. "
        "The ends are finished with a short fringe. "
        "Store it for the summer in a cotton bag with lavender to keep moths away.",
        price=2190, colours=("красный", "зелёный"), weight=260,
    ),
    dict(
        category="scarves-gloves", picture="snood", brand="Lavka",
        ru="Снуд вязаный", en="Knitted snood",
        about_ru="Шарф-труба крупной вязки, который надевают через голову в два оборота. "
        "Не развязывается на ветру и заменяет капюшон. "
        "Пряжа — альпака с нейлоном, стирка ручная.",
        about_en="A chunky-knit loop scarf worn over the head in two turns. "
        "It never comes undone in the wind and doubles as a hood. "
        "Alpaca and nylon yarn; hand wash.",
        price=1490, colours=("бежевый", "серый"), weight=180,
    ),
    dict(
        category="scarves-gloves", picture="gloves", brand="Volga",
        ru="Перчатки кожаные", en="Leather gloves",
        about_ru="Перчатки из тонкой козьей кожи на кашемировой подкладке. "
        "Размер S подходит на обхват ладони 19 см, M — 21 см, L — 23 см. "
        "Если промокли, сушите на руке или разложив на полотенце.",
        about_en="Gloves in fine goatskin with a cashmere lining. "
        "Size S fits a hand of 19 cm around the palm, M 21 cm, L 23 cm. "
        "If they get wet, dry them on your hands or flat on a towel.",
        price=2490, sizes=GLOVES, colours=("чёрный", "коричневый"), weight=110,
    ),
    dict(
        category="scarves-gloves", picture="mittens", brand="Lavka",
        ru="Варежки шерстяные", en="Wool mittens",
        about_ru="Двойные варежки с узором из снежинок, связанные на вологодском производстве. "
        "Внутренний слой — мягкий мохер, наружный — плотная шерсть. "
        "Стирать вручную, сушить на плоскости.",
        about_en="Double-layer mittens with a snowflake pattern, knitted in Vologda. "
        "Soft mohair inside, dense wool outside. "
        "Hand wash and dry flat.",
        price=990, colours=("красный", "синий"), weight=90,
    ),
    dict(
        category="scarves-gloves", picture="gloves", style="knit", brand="Nord", new=True,
        ru="Перчатки для сенсорных экранов", en="Touchscreen knitted gloves",
        about_ru="Вязаные перчатки с токопроводящей нитью на большом и указательном пальцах. "
        "Отвечать на звонки можно не снимая их. "
        "Выдерживают стирку в машинке при 30 °C.",
        about_en="Knitted gloves with conductive thread on the thumb and index finger. "
        "Answer calls without taking them off. "
        "They survive a machine wash at 30 °C.",
        price=790, sizes=GLOVES, colours=("серый", "чёрный"), weight=60,
    ),
    # --- Bags and backpacks -------------------------------------------------------------------
    dict(
        category="bags", picture="backpack", brand="Nord", featured=True,
        ru="Рюкзак городской", en="City backpack",
        about_ru="Рюкзак на 20 литров с мягким отделением для ноутбука до 15,6 дюйма. "
        "Ткань — полиэстер с водоотталкивающей пропиткой, молнии закрыты клапанами. "
        "Потайной карман на спине для паспорта и кошелька.",
        about_en="A 20-litre backpack with a padded sleeve for laptops up to 15.6 inches. "
        "Polyester with a water-repellent finish, and storm flaps over the zips. "
        "A hidden back pocket for your passport and wallet.",
        price=3990, colours=("чёрный", "серый", "синий"), weight=750,
    ),
    dict(
        category="bags", picture="backpack", style="hiking", brand="Taiga",
        ru="Рюкзак туристический 40 л", en="Hiking backpack 40 l",
        about_ru="Рюкзак для походов выходного дня с анатомической спинкой и поясным ремнём. "
        "Сверху клапан с карманом, снизу — отделение для спальника. "
        "В комплекте накидка от дождя, убранная в отдельный карман.",
        about_en="A weekend trekking pack with a contoured back and a hip belt. "
        "A lid pocket on top and a sleeping-bag compartment at the bottom. "
        "Comes with a rain cover tucked into its own pocket.",
        price=6490, colours=("зелёный", "оранжевый"), weight=1350,
    ),
    dict(
        category="bags", picture="tote", brand="Lavka",
        ru="Сумка-шопер холщовая", en="Canvas tote bag",
        about_ru="Шопер из небелёного хлопка выдерживает до 15 кг продуктов. "
        "Ручки длиной 60 см — сумку удобно носить на плече. "
        "Стирать при 40 °C; после стирки ткань становится мягче.",
        about_en="An unbleached cotton tote that carries up to 15 kg of shopping. "
        "The 60 cm handles fit comfortably over the shoulder. "
        "Wash at 40 °C; the canvas softens with every wash.",
        price=990, colours=("бежевый", "чёрный"), weight=210,
    ),
    dict(
        category="bags", picture="crossbody", brand="Volga",
        ru="Сумка через плечо", en="Crossbody bag",
        about_ru="Небольшая сумка из кожи растительного дубления на регулируемом ремне. "
        "Внутри два отделения и карман на молнии, помещается телефон и документы. "
        "Со временем кожа темнеет и становится только красивее.",
        about_en="A small bag in vegetable-tanned leather on an adjustable strap. "
        "Two compartments and a zip pocket inside fit a phone and documents. "
        "The leather darkens with time and only looks better.",
        price=2990, old_price=3590, colours=("коричневый", "чёрный"), weight=380,
    ),
    dict(
        category="bags", picture="beltbag", brand="Nord", new=True,
        ru="Поясная сумка", en="Belt bag",
        about_ru="Компактная сумка, которую носят на поясе или через грудь. "
        "Нейлон рипстоп не рвётся и легко отмывается. "
        "Ремень регулируется от 70 до 120 см.",
        about_en="A compact bag worn at the waist or across the chest. "
        "Ripstop nylon will not tear and wipes clean easily. "
        "The strap adjusts from 70 to 120 cm.",
        price=1490, colours=("чёрный", "зелёный"), weight=180,
    ),
    # --- Mugs and cups ------------------------------------------------------------------------
    dict(
        category="mugs", picture="mug", brand="Volga", featured=True,
        ru="Кружка керамическая 350 мл", en="Ceramic mug 350 ml",
        about_ru="Кружка из каменной керамики с глазурью, которая переливается на свету. "
        "Толстые стенки долго держат тепло, ручка удобна даже для большой ладони. "
        "Можно мыть в посудомоечной машине и ставить в микроволновку.",
        about_en="A stoneware mug with a glaze that shimmers in the light. "
        "Thick walls keep drinks hot for longer, and the handle suits even a large hand. "
        "Dishwasher and microwave safe.",
        price=590, colours=("белый", "синий", "зелёный"), weight=340,
    ),
    dict(
        category="mugs", picture="mug", style="enamel", brand="Taiga",
        ru="Кружка эмалированная 400 мл", en="Enamel camping mug 400 ml",
        about_ru="Стальная кружка с эмалью и тёмным ободком — как в походе у костра. "
        "Её можно ставить на газовую горелку, чтобы подогреть чай. "
        "Не бьётся, но от сильного удара может отколоться эмаль.",
        about_en="A steel mug with enamel and a dark rim, just like around a campfire. "
        "It can sit on a gas stove to warm up your tea. "
        "It will not break, though a hard knock can chip the enamel.",
        price=690, colours=("белый", "красный"), weight=180,
    ),
    dict(
        category="mugs", picture="travelmug", brand="Nord", new=True,
        ru="Термокружка 450 мл", en="Insulated travel mug 450 ml",
        about_ru="Двойные стальные стенки с вакуумом держат кофе горячим 4 часа. "
        "Крышка герметичная, кружку можно носить в сумке. "
        "Колбу мыть вручную, крышку — в посудомоечной машине.",
        about_en="Double vacuum-insulated steel walls keep coffee hot for 4 hours. "
        "The lid seals tight, so it can go in your bag. "
        "Hand wash the body; the lid is dishwasher safe.",
        price=1290, colours=("чёрный", "серый", "розовый"), weight=320,
    ),
    dict(
        category="mugs", picture="cup", brand="Volga",
        ru="Чашка с блюдцем фарфоровая", en="Porcelain cup and saucer",
        about_ru="Тонкостенная чашка на 220 мл из костяного фарфора, который просвечивает "
        "на свету. Хороша для чёрного чая и капучино. "
        "Мыть вручную: золотой ободок не любит посудомоечную машину.",
        about_en="A thin 220 ml cup in bone china that glows when held up to the light. "
        "Lovely for black tea and cappuccino. "
        "Hand wash: the gold rim does not like the dishwasher.",
        price=890, old_price=1090, colours=("белый", "голубой"), weight=290,
    ),
    dict(
        category="mugs", picture="mug", style="pair", brand="Lavka",
        ru="Набор кружек ручной работы, 2 шт.", en="Hand-thrown mugs, set of two",
        about_ru="Две кружки по 300 мл, сделанные на гончарном круге в мастерской в Гжели. "
        "Каждая немного отличается формой и подтёками глазури. "
        "Подходят для посудомоечной машины.",
        about_en="Two 300 ml mugs thrown on the wheel in a workshop in Gzhel. "
        "Each one differs a little in shape and in how the glaze has run. "
        "Dishwasher safe.",
        price=1990, colours=("бежевый", "серый"), weight=760,
    ),
    # --- Pans and pots ------------------------------------------------------------------------
    dict(
        category="cookware", picture="pan", brand="Volga", featured=True,
        ru="Сковорода чугунная", en="Cast-iron frying pan",
        about_ru="Литая чугунная сковорода, уже прокалённая маслом на заводе. "
        "Равномерно держит жар, подходит для индукции, духовки и костра. "
        "После мытья вытрите насухо и смажьте тонким слоем масла. Размер — диаметр в сантиметрах.",
        about_en="A cast-iron frying pan, pre-seasoned with oil at the foundry. "
        "Holds heat evenly and works on induction, in the oven and over a fire. "
        "Dry it after washing and wipe on a thin film of oil. Sizes are the diameter in cm.",
        prices={"Ø20": 1990, "Ø24": 2490, "Ø26": 2990, "Ø28": 3490},
        sizes=("Ø20", "Ø24", "Ø26", "Ø28"), colours=("чёрный",),
        weights={"Ø20": 1700, "Ø24": 2300, "Ø26": 2700, "Ø28": 3200},
    ),
    dict(
        category="cookware", picture="pan", style="grill", brand="Volga",
        ru="Сковорода-гриль чугунная", en="Cast-iron grill pan",
        about_ru="Высокие рёбра оставляют на стейке и овощах красивые полоски. "
        "Два носика по бокам, чтобы сливать лишний жир. "
        "Не мойте в посудомоечной машине и не оставляйте замоченной.",
        about_en="High ridges leave neat sear marks on steak and vegetables. "
        "Two pouring spouts let you drain off excess fat. "
        "Not for the dishwasher; never leave it to soak.",
        prices={"Ø24": 2790, "Ø28": 3290}, old_prices={"Ø24": 3290, "Ø28": 3890},
        sizes=("Ø24", "Ø28"), colours=("чёрный",), weights={"Ø24": 2600, "Ø28": 3300},
    ),
    dict(
        category="cookware", picture="pan", style="nonstick", brand="Lavka",
        ru="Сковорода с антипригарным покрытием", en="Non-stick frying pan",
        about_ru="Алюминиевая сковорода с каменным покрытием и ручкой из бука. "
        "Яичница соскальзывает без капли масла. "
        "Используйте деревянные или силиконовые лопатки, чтобы покрытие прослужило дольше.",
        about_en="An aluminium pan with a stone-effect coating and a beech handle. "
        "Eggs slide out without a drop of oil. "
        "Use wooden or silicone spatulas to make the coating last.",
        prices={"Ø24": 1690, "Ø28": 1990}, sizes=("Ø24", "Ø28"), colours=("серый",),
        weights={"Ø24": 900, "Ø28": 1150},
    ),
    dict(
        category="cookware", picture="saucepan", brand="Volga",
        ru="Кастрюля эмалированная 3 л", en="Enamel saucepan 3 l",
        about_ru="Кастрюля из толстой стали с эмалью в два слоя и стеклянной крышкой. "
        "Подходит для всех плит, включая индукционную. "
        "Эмаль не впитывает запахи, поэтому в ней удобно квасить и солить.",
        about_en="A heavy steel saucepan with two coats of enamel and a glass lid. "
        "Works on every hob, induction included. "
        "The enamel does not take on smells, so it is good for pickling too.",
        price=2190, colours=("белый", "красный", "синий"), weight=1500,
    ),
    dict(
        category="cookware", picture="saucepan", style="saute", brand="Lavka", new=True,
        ru="Сотейник с крышкой 26 см", en="Sauté pan with lid 26 cm",
        about_ru="Глубокий сотейник из нержавеющей стали с толстым дном в три слоя. "
        "В нём удобно тушить овощи и готовить соусы на 4–5 порций. "
        "Можно мыть в посудомоечной машине и ставить в духовку до 220 °C.",
        about_en="A deep stainless-steel sauté pan with a three-ply base. "
        "Good for braising vegetables and making sauces for 4–5 people. "
        "Dishwasher safe and ovenproof up to 220 °C.",
        price=3290, colours=("серый",), weight=1900,
    ),
    # --- Teapots and kettles ------------------------------------------------------------------
    dict(
        category="teapots", picture="teapot", style="glass", brand="Volga",
        ru="Чайник заварочный стеклянный 800 мл", en="Glass teapot 800 ml",
        about_ru="Чайник из жаропрочного стекла со съёмным ситом из нержавеющей стали. "
        "Видно, как раскрываются листья и меняется цвет настоя. "
        "Можно ставить на слабый огонь газовой плиты.",
        about_en="A heat-resistant glass teapot with a removable stainless-steel infuser. "
        "Watch the leaves unfurl and the colour of the brew deepen. "
        "Safe over a low gas flame.",
        price=1290, weight=620,
    ),
    dict(
        category="teapots", picture="teapot", style="iron", brand="Taiga",
        ru="Чайник чугунный 0,8 л", en="Cast-iron teapot 0.8 l",
        about_ru="Японский тэцубин с эмалью внутри: чай не приобретает металлического вкуса. "
        "Чугун долго держит тепло, так что хватит на несколько чашек. "
        "Не ставьте на огонь и не мойте средствами — только ополаскивайте горячей водой.",
        about_en="A Japanese-style tetsubin, enamelled inside so the tea never tastes of "
        "metal. Cast iron keeps the pot warm for several cups. "
        "Not for the stove, and no detergent — just rinse with hot water.",
        price=3490, colours=("чёрный", "зелёный"), weight=1150,
    ),
    dict(
        category="teapots", picture="teapot", brand="Lavka",
        ru="Чайник керамический 1 л", en="Ceramic teapot 1 l",
        about_ru="Пузатый чайник на большую семью с крышкой, которая не выпадает при наливании. "
        "Носик отсекает каплю, скатерть остаётся чистой. "
        "Можно мыть в посудомоечной машине.",
        about_en="A round family-sized teapot whose lid stays put when you pour. "
        "The spout cuts off drips, so the tablecloth stays clean. "
        "Dishwasher safe.",
        price=1890, old_price=2290, colours=("белый", "голубой"), weight=850,
    ),
    dict(
        category="teapots", picture="kettle", brand="Volga", new=True,
        ru="Чайник для плиты эмалированный 2 л", en="Enamel stovetop kettle 2 l",
        about_ru="Классический чайник со свистком для газовой, электрической и индукционной "
        "плиты. Ручка из бакелита не нагревается. "
        "Накипь снимается раствором лимонной кислоты.",
        about_en="A classic whistling kettle for gas, electric and induction hobs. "
        "The Bakelite handle stays cool. "
        "Descale with a citric acid solution.",
        price=2490, colours=("красный", "белый", "жёлтый"), weight=1100,
    ),
    dict(
        category="teapots", picture="frenchpress", brand="Nord",
        ru="Френч-пресс 600 мл", en="French press 600 ml",
        about_ru="Колба из боросиликатного стекла в стальном каркасе с двойным фильтром. "
        "Гуща не попадает в чашку, а пресс можно заварить и для чая. "
        "Все части разбираются и моются в посудомоечной машине.",
        about_en="A borosilicate glass jug in a steel frame with a double filter. "
        "No grounds in your cup, and it brews loose-leaf tea just as well. "
        "Every part comes apart and is dishwasher safe.",
        price=1590, colours=("чёрный", "серый"), weight=480,
    ),
    # --- Throws and cushions ------------------------------------------------------------------
    dict(
        category="blankets", picture="blanket", brand="Volga", featured=True,
        ru="Плед шерстяной в клетку", en="Wool check throw",
        about_ru="Плед из новозеландской шерсти, сотканный на старом станке в Павловском "
        "Посаде. Согревает на даче и на балконе, не электризуется. "
        "Проветривайте вместо стирки; при необходимости — деликатная стирка при 30 °C.",
        about_en="A throw in New Zealand wool, woven on an old loom in Pavlovsky Posad. "
        "Keeps you warm at the dacha or on the balcony and does not build up static. "
        "Air it instead of washing; if you must, use a gentle 30 °C cycle.",
        prices={"130×170": 3490, "150×200": 4290}, sizes=("130×170", "150×200"),
        colours=("серый", "красный", "бежевый"), weights={"130×170": 1100, "150×200": 1500},
    ),
    dict(
        category="blankets", picture="blanket", style="knit", brand="Lavka", new=True,
        ru="Плед крупной вязки", en="Chunky knit throw",
        about_ru="Объёмный плед 120 × 150 см, связанный вручную из толстой шерстяной пряжи. "
        "Украсит диван и согреет в холодный вечер. "
        "Только ручная стирка в прохладной воде и сушка на плоскости.",
        about_en="A 120 × 150 cm throw hand-knitted from thick wool yarn. "
        "It dresses up a sofa and warms you on a cold evening. "
        "Hand wash in cool water only and dry flat.",
        price=5490, colours=("белый", "серый"), weight=2200,
    ),
    dict(
        category="blankets", picture="blanket", style="fleece", brand="Nord",
        ru="Плед флисовый", en="Fleece throw",
        about_ru="Лёгкий плед 130 × 160 см из микрофлиса, который можно взять в машину "
        "или на пикник. Не линяет и не теряет мягкости после стирок. "
        "Машинная стирка при 40 °C.",
        about_en="A light 130 × 160 cm microfleece throw for the car or a picnic. "
        "It does not shed and stays soft wash after wash. "
        "Machine wash at 40 °C.",
        price=1490, old_price=1790, colours=("синий", "розовый", "серый"), weight=750,
    ),
    dict(
        category="blankets", picture="cushion", brand="Lavka",
        ru="Подушка декоративная 45×45", en="Decorative cushion 45×45",
        about_ru="Чехол из плотного хлопкового бархата на потайной молнии и пухлый "
        "наполнитель из полиэфирного волокна. "
        "Чехол снимается и стирается при 30 °C.",
        about_en="A cover in thick cotton velvet with a hidden zip and a plump "
        "polyester-fibre insert. "
        "The cover comes off and washes at 30 °C.",
        price=1290, colours=("жёлтый", "зелёный", "синий"), weight=450,
    ),
    dict(
        category="blankets", picture="cushion", style="fringe", brand="Volga",
        ru="Подушка льняная с бахромой 50×50", en="Linen cushion with fringe 50×50",
        about_ru="Льняной чехол с бахромой по краям выглядит уютно и немного небрежно. "
        "Внутри перо и пух, подушка хорошо взбивается. "
        "Чехол стирается при 40 °C, а саму подушку лучше проветривать на солнце.",
        about_en="A linen cover with a fringed edge that looks cosy and a little relaxed. "
        "Feather and down inside, so it plumps up well. "
        "The cover washes at 40 °C; air the insert in the sun.",
        price=1590, old_price=1990, colours=("бежевый", "серый"), weight=520,
    ),
    # --- Towels -------------------------------------------------------------------------------
    dict(
        category="towels", picture="towel", brand="Volga",
        ru="Полотенце махровое банное", en="Terry bath towel",
        about_ru="Махра из узбекского хлопка плотностью 500 г/м² хорошо впитывает воду. "
        "Петля длиной 1 см — полотенце мягкое, но не тяжёлое после душа. "
        "Стирать при 60 °C без кондиционера, чтобы не терялась впитываемость.",
        about_en="500 gsm terry in Uzbek cotton that soaks up water well. "
        "A 1 cm loop makes it soft without becoming heavy after a shower. "
        "Wash at 60 °C without fabric softener so it stays absorbent.",
        prices={"50×90": 690, "70×140": 1190}, sizes=("50×90", "70×140"),
        colours=("белый", "голубой", "серый"), weights={"50×90": 300, "70×140": 600},
    ),
    dict(
        category="towels", picture="towel", style="waffle", brand="Lavka",
        ru="Полотенца вафельные кухонные, 3 шт.", en="Waffle kitchen towels, set of 3",
        about_ru="Три полотенца 45 × 70 см из вафельного полотна — не оставляют ворсинок "
        "на бокалах. С петелькой, чтобы повесить на крючок. "
        "Выдерживают кипячение.",
        about_en="Three 45 × 70 cm waffle-weave towels that leave no lint on glasses. "
        "Each has a loop for a hook. "
        "They can be boiled.",
        price=790, colours=("белый", "красный"), weight=240,
    ),
    dict(
        category="towels", picture="towel", style="linen", brand="Volga", new=True,
        ru="Полотенце льняное", en="Linen towel",
        about_ru="Льняное полотенце быстро сохнет и не заводит запах даже в сырой ванной. "
        "Первое время может показаться жёстким — после пары стирок становится мягче. "
        "Стирать при 40 °C, гладить слегка влажным.",
        about_en="A linen towel that dries fast and never goes musty, even in a damp bathroom. "
        "It may feel crisp at first but softens after a couple of washes. "
        "Wash at 40 °C and iron while slightly damp.",
        prices={"50×70": 990, "70×140": 1790}, sizes=("50×70", "70×140"),
        colours=("бежевый", "серый"), weights={"50×70": 200, "70×140": 420},
    ),
    dict(
        category="towels", picture="towel", style="beach", brand="Nord",
        ru="Полотенце пляжное в полоску 90×170", en="Striped beach towel 90×170",
        about_ru="Большое пляжное полотенце, на котором удобно лежать вдвоём. "
        "С одной стороны велюр, с другой — махра, поэтому песок легко стряхивается. "
        "Стирка при 40 °C.",
        about_en="A big beach towel with room for two. "
        "Velour on one side and terry on the other, so sand shakes off easily. "
        "Wash at 40 °C.",
        price=1690, old_price=1990, colours=("синий", "жёлтый"), weight=650,
    ),
    # --- Candles ------------------------------------------------------------------------------
    dict(
        category="candles", picture="candle", style="jar", brand="Lavka",
        ru="Свеча в стеклянной банке «Сосна»", en="Pine candle in a glass jar",
        about_ru="Соевый воск и хлопковый фитиль, аромат хвои и смолы после дождя. "
        "Горит около 40 часов. "
        "Первый раз дайте воску расплавиться до краёв, чтобы свеча не прогорала ямкой.",
        about_en="Soy wax and a cotton wick, scented with pine needles and resin after rain. "
        "Burns for about 40 hours. "
        "Let the wax melt to the edges the first time so it does not tunnel.",
        price=890, colours=("зелёный",), weight=320,
    ),
    dict(
        category="candles", picture="candle", style="jar", brand="Volga", new=True,
        ru="Свеча ароматическая «Лаванда»", en="Lavender scented candle",
        about_ru="Спокойный аромат лаванды с нотками ванили — хорошо зажигать перед сном. "
        "Кокосово-соевый воск горит чисто и без копоти около 45 часов. "
        "Подрезайте фитиль до 5 мм перед каждым зажиганием.",
        about_en="Calm lavender with a touch of vanilla — nice to light before bed. "
        "Coconut and soy wax burns cleanly without soot for about 45 hours. "
        "Trim the wick to 5 mm before each lighting.",
        price=990, colours=("фиолетовый",), weight=350,
    ),
    dict(
        category="candles", picture="candle", style="ceramic", brand="Volga",
        ru="Свеча «Инжир и кедр» в керамике", en="Fig and cedar candle in a ceramic pot",
        about_ru="Тёплый древесный аромат со сладкой нотой инжира. "
        "Когда свеча догорит, керамический стаканчик можно использовать под кисти "
        "или маленькое растение. Время горения — 55 часов.",
        about_en="A warm woody scent with a sweet note of fig. "
        "Once the candle is finished, the ceramic pot makes a holder for brushes "
        "or a small plant. Burns for 55 hours.",
        price=1490, colours=("белый", "чёрный"), weight=520,
    ),
    dict(
        category="candles", picture="candle", style="pillars", brand="Lavka",
        ru="Свечи-столбики, набор из 3", en="Pillar candles, set of three",
        about_ru="Три свечи высотой 8, 10 и 12 см из парафина без запаха. "
        "Подходят для ужина: не перебивают запах еды. "
        "Ставьте на огнеупорную подставку.",
        about_en="Three unscented paraffin pillars, 8, 10 and 12 cm tall. "
        "Good for dinner: they do not compete with the smell of food. "
        "Stand them on a heatproof plate.",
        price=1190, old_price=1390, colours=("белый", "бежевый", "красный"), weight=600,
    ),
    dict(
        category="candles", picture="candle", style="tin", brand="Nord",
        ru="Свеча в жестяной банке «Апельсин и корица»", en="Orange and cinnamon travel candle",
        about_ru="Маленькая свеча в жестянке с крышкой, которую удобно брать в поездки. "
        "Пахнет апельсиновой цедрой и корицей, как зимний глинтвейн. "
        "Горит около 20 часов.",
        about_en="A small candle in a lidded tin that is easy to take travelling. "
        "Smells of orange zest and cinnamon, like winter mulled wine. "
        "Burns for about 20 hours.",
        price=490, colours=("оранжевый",), weight=150,
    ),
    # --- Plants and planters ------------------------------------------------------------------
    dict(
        category="plants", picture="plant", style="monstera", brand="Lavka", featured=True,
        ru="Монстера в горшке", en="Monstera in a pot",
        about_ru="Молодая монстера высотой 50–60 см в керамическом кашпо. "
        "Любит яркий рассеянный свет и полив раз в неделю, когда верхний слой земли подсох. "
        "Размер — диаметр кашпо в сантиметрах.",
        about_en="A young monstera, 50–60 cm tall, in a ceramic pot. "
        "Likes bright indirect light and watering once a week when the topsoil is dry. "
        "Sizes are the pot diameter in cm.",
        prices={"Ø17": 1990, "Ø21": 2990}, sizes=("Ø17", "Ø21"), colours=("белый", "серый"),
        weights={"Ø17": 2500, "Ø21": 4200},
    ),
    dict(
        category="plants", picture="plant", style="snake", brand="Lavka",
        ru="Сансевиерия", en="Snake plant",
        about_ru="Неприхотливое растение, которое переживёт и тень, и забывчивого хозяина. "
        "Поливайте раз в две-три недели, зимой ещё реже. "
        "Продаётся в кашпо диаметром 14 см.",
        about_en="A tough plant that copes with shade and a forgetful owner. "
        "Water every two or three weeks, even less in winter. "
        "Comes in a 14 cm pot.",
        price=1490, colours=("белый", "чёрный"), weight=1600,
    ),
    dict(
        category="plants", picture="plant", style="cactus", brand="Volga", new=True,
        ru="Кактус в керамическом кашпо", en="Cactus in a ceramic pot",
        about_ru="Маленький эхинокактус в глазурованном кашпо диаметром 9 см. "
        "Нужно солнечное окно и полив раз в месяц. "
        "Хороший подарок коллеге на рабочий стол.",
        about_en="A small golden barrel cactus in a 9 cm glazed pot. "
        "Needs a sunny windowsill and water once a month. "
        "A nice present for a colleague's desk.",
        price=690, colours=("розовый", "голубой", "белый"), weight=450,
    ),
    dict(
        category="plants", picture="planter", brand="Volga",
        ru="Кашпо керамическое", en="Ceramic planter",
        about_ru="Матовое кашпо с дренажным отверстием и поддоном в комплекте. "
        "Глазурь изнутри защищает стенки от влаги. "
        "Размер — диаметр по верхнему краю в сантиметрах.",
        about_en="A matte planter with a drainage hole and a matching saucer. "
        "Glazed on the inside to protect the walls from moisture. "
        "Sizes are the diameter at the rim in cm.",
        prices={"Ø12": 590, "Ø16": 890, "Ø20": 1290}, sizes=("Ø12", "Ø16", "Ø20"),
        colours=("белый", "бежевый", "зелёный"), weights={"Ø12": 500, "Ø16": 900, "Ø20": 1500},
    ),
    dict(
        category="plants", picture="wateringcan", brand="Taiga",
        ru="Лейка металлическая 1 л", en="Metal watering can 1 l",
        about_ru="Оцинкованная лейка с порошковой покраской и длинным тонким носиком. "
        "Вода льётся под корень, а не на листья. "
        "Не ржавеет, если после полива оставлять её сохнуть без воды.",
        about_en="A galvanised, powder-coated watering can with a long slim spout. "
        "Water goes to the roots, not over the leaves. "
        "It will not rust if left to dry empty after use.",
        price=1190, old_price=1490, colours=("зелёный", "серый"), weight=420,
    ),
    # --- Notebooks ----------------------------------------------------------------------------
    dict(
        category="notebooks", picture="notebook", brand="Lavka",
        ru="Блокнот в точку А5", en="Dot-grid notebook A5",
        about_ru="Твёрдая обложка из переплётного картона, 160 страниц бумаги 100 г/м². "
        "Перьевые ручки и линеры не просвечивают на обороте. "
        "Страницы пронумерованы, в конце — кармашек для заметок.",
        about_en="A hard cover in bookbinding board and 160 pages of 100 gsm paper. "
        "Fountain pens and fineliners do not show through. "
        "Numbered pages and a pocket at the back for loose notes.",
        price=690, colours=("синий", "зелёный", "чёрный", "красный"), weight=260,
    ),
    dict(
        category="notebooks", picture="notebook", style="spiral", brand="Volga",
        ru="Скетчбук на пружине А4", en="Spiral sketchbook A4",
        about_ru="Скетчбук с плотной бумагой 200 г/м² для карандаша, маркеров и акварели. "
        "Пружина позволяет раскрыть его на 360 градусов. "
        "40 листов, обложка из крафт-картона.",
        about_en="A sketchbook with heavy 200 gsm paper for pencil, markers and watercolour. "
        "The spiral lets it fold back a full 360 degrees. "
        "40 sheets, kraft board cover.",
        price=990, colours=("чёрный", "серый"), weight=520,
    ),
    dict(
        category="notebooks", picture="notebook", style="planner", brand="Lavka", new=True,
        ru="Ежедневник датированный на 2027 год", en="2027 dated planner",
        about_ru="Ежедневник с разворотом на неделю, годовым планом и календарём. "
        "Обложка из экокожи на резинке, две ленты-закладки. "
        "Формат чуть меньше А5 — помещается в любую сумку.",
        about_en="A week-to-view planner with a year overview and calendars. "
        "A faux-leather cover with an elastic closure and two ribbon markers. "
        "Slightly smaller than A5, so it fits in any bag.",
        price=1290, colours=("коричневый", "синий"), weight=400,
    ),
    dict(
        category="notebooks", picture="notebook", style="pocket", brand="Nord",
        ru="Блокноты карманные, 3 шт.", en="Pocket notebooks, set of three",
        about_ru="Три тонких блокнота 9 × 14 см в клетку, линейку и без линовки. "
        "Скреплены металлическими скобами, влезают в задний карман джинсов. "
        "Обложка из переработанного картона.",
        about_en="Three slim 9 × 14 cm notebooks: squared, ruled and plain. "
        "Stapled with metal staples, they fit a back jeans pocket. "
        "Covers in recycled board.",
        price=590, old_price=790, colours=("бежевый",), weight=150,
    ),
    # --- Pens and pencils ---------------------------------------------------------------------
    dict(
        category="pens", picture="pen", style="fountain", brand="Volga",
        ru="Ручка перьевая", en="Fountain pen",
        about_ru="Перьевая ручка с пером из нержавеющей стали размера F и конвертером. "
        "Подходит для стандартных картриджей и флаконных чернил. "
        "Корпус из латуни с лаковым покрытием, в подарочной коробке.",
        about_en="A fountain pen with a fine stainless-steel nib and a converter. "
        "Takes standard cartridges or bottled ink. "
        "A lacquered brass body, in a gift box.",
        price=2490, colours=("чёрный", "синий", "красный"), weight=90,
    ),
    dict(
        category="pens", picture="pen", brand="Nord",
        ru="Ручка шариковая металлическая", en="Metal ballpoint pen",
        about_ru="Тяжёлая ручка из алюминия с поворотным механизмом. "
        "Стержень стандартного размера пишет синим и заменяется за секунду. "
        "Клип из пружинной стали не разгибается.",
        about_en="A weighty aluminium pen with a twist mechanism. "
        "The standard refill writes in blue and swaps in seconds. "
        "The spring-steel clip will not bend out of shape.",
        price=690, colours=("серый", "чёрный", "синий"), weight=40,
    ),
    dict(
        category="pens", picture="pens", style="gel", brand="Lavka", new=True,
        ru="Ручки гелевые, 6 цветов", en="Gel pens, six colours",
        about_ru="Шесть гелевых ручек с линией 0,5 мм для конспектов и планера. "
        "Чернила быстро сохнут и не размазываются левшами. "
        "Цвета: чёрный, синий, красный, зелёный, фиолетовый и оранжевый.",
        about_en="Six 0.5 mm gel pens for notes and planners. "
        "The ink dries quickly, so left-handers do not smudge it. "
        "Colours: black, blue, red, green, purple and orange.",
        price=390, weight=70,
    ),
    dict(
        category="pens", picture="pens", style="pencils", brand="Volga",
        ru="Карандаши чернографитные, 12 шт.", en="Graphite pencils, set of 12",
        about_ru="Карандаши из кедра разной твёрдости — от очень твёрдого до очень мягкого. "
        "Грифель проклеен по всей длине и не крошится при заточке. "
        "В металлическом пенале, который пригодится и потом.",
        about_en="Cedar pencils in grades from 2H to 6B. "
        "The lead is bonded along its whole length, so it does not break when sharpened. "
        "In a metal tin you will find a use for later.",
        price=450, weight=160,
    ),
]

DELIVERY = [
    dict(code="courier", ru="Курьер", en="Courier",
         about_ru="Доставка до двери в течение 1–3 дней.",
         about_en="Door-to-door delivery within 1–3 days.",
         price=390, free_from=5000, needs_address=True),
    dict(code="post", ru="Почта России", en="Russian Post",
         about_ru="Доставка в отделение почты за 5–10 дней.",
         about_en="Delivery to a post office within 5–10 days.",
         price=290, free_from=None, needs_address=True),
    dict(code="pickup", ru="Самовывоз из магазина", en="Pickup in store",
         about_ru="Москва, ул. Мясницкая, 10. Ежедневно с 10:00 до 21:00.",
         about_en="Moscow, 10 Myasnitskaya St. Daily 10:00–21:00.",
         price=0, free_from=None, needs_address=False),
]

# The colours' English names, for the pictures' alt texts (the shop translates stored colours
# itself, through shop.catalog.attributes).
COLOURS_EN = {
    "чёрный": "black", "белый": "white", "синий": "blue", "голубой": "light blue",
    "красный": "red", "зелёный": "green", "серый": "grey", "бежевый": "beige",
    "коричневый": "brown", "жёлтый": "yellow", "розовый": "pink", "фиолетовый": "purple",
    "оранжевый": "orange",
}
