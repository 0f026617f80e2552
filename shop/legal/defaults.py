"""The texts a new shop starts with: templates of a small Russian online shop's documents.

They are examples, not legal advice: each begins with a notice that the shop owner must replace
them (with a lawyer's help) before opening. The company's details come from settings when they
are set (SHOP_NAME, SHOP_LEGAL_NAME, SHOP_LEGAL_INN, SHOP_LEGAL_OGRN, SHOP_LEGAL_ADDRESS,
SHOP_LEGAL_EMAIL, SHOP_LEGAL_PHONE); otherwise a visible [placeholder] stands in their place.
"""

from markupsafe import escape

# placeholder in the texts -> (setting, placeholder in Russian, placeholder in English); the
# environment's SHOP_LEGAL_NAME is the setting LEGAL_NAME (Flask strips the SHOP_ prefix).
DETAILS = {
    "NAME": ("SHOP_NAME", "[название магазина]", "[shop name]"),
    "LEGAL_NAME": ("LEGAL_NAME", "[ООО «Название» или ИП Фамилия И. О.]", "[company name]"),
    "LEGAL_INN": ("LEGAL_INN", "[ИНН]", "[taxpayer number (INN)]"),
    "LEGAL_OGRN": ("LEGAL_OGRN", "[ОГРН / ОГРНИП]", "[registration number (OGRN)]"),
    "LEGAL_ADDRESS": ("LEGAL_ADDRESS", "[юридический адрес]", "[registered address]"),
    "LEGAL_EMAIL": ("LEGAL_EMAIL", "[адрес электронной почты]", "[email address]"),
    "LEGAL_PHONE": ("LEGAL_PHONE", "[телефон]", "[phone]"),
}

NOTICE_RU = (
    '<p><strong>Шаблон. Владелец магазина должен заменить этот текст своим, проверенным '
    "юристом, и указать реквизиты продавца, прежде чем принимать заказы.</strong></p>"
)
NOTICE_EN = (
    "<p><strong>A template. The shop owner must replace this text with their own, checked by "
    "a lawyer, and fill in the seller's details before taking orders.</strong></p>"
)

TEXTS = {
    "offer": (
        "Публичная оферта",
        """<h2>1. Общие положения</h2>
<p>{LEGAL_NAME} (ИНН {LEGAL_INN}, ОГРН {LEGAL_OGRN}, адрес: {LEGAL_ADDRESS}), далее «Продавец»,
предлагает любому лицу (далее «Покупатель») заключить договор купли-продажи товаров,
представленных в интернет-магазине «{NAME}», на условиях настоящей оферты (статья 437
Гражданского кодекса РФ).</p>
<p>Оформление заказа на сайте означает полное и безоговорочное принятие условий оферты
(акцепт).</p>
<h2>2. Предмет договора</h2>
<p>Продавец передаёт Покупателю товары по заказу, а Покупатель оплачивает и принимает их.
Описание, цена и наличие товара указаны на его странице на сайте.</p>
<h2>3. Цена и оплата</h2>
<p>Цены указаны в рублях и включают НДС, если Продавец его платит. Цена товара в оформленном
заказе не меняется. Способы оплаты указаны на странице «Доставка и оплата». При оплате
Покупатель получает кассовый чек в соответствии с 54-ФЗ.</p>
<h2>4. Доставка</h2>
<p>Сроки, способы и стоимость доставки указаны на странице «Доставка и оплата».</p>
<h2>5. Возврат товара</h2>
<p>Покупатель вправе отказаться от товара надлежащего качества в течение 7 дней после его
получения (статья 26.1 Закона «О защите прав потребителей»). Порядок описан на странице
«Возврат».</p>
<h2>6. Персональные данные</h2>
<p>Персональные данные Покупателя обрабатываются в соответствии с Политикой обработки
персональных данных, с согласия Покупателя.</p>
<h2>7. Реквизиты Продавца</h2>
<p>{LEGAL_NAME}, ИНН {LEGAL_INN}, ОГРН {LEGAL_OGRN}, {LEGAL_ADDRESS}, {LEGAL_EMAIL},
{LEGAL_PHONE}.</p>""",
        "Public offer",
        """<h2>1. General</h2>
<p>{LEGAL_NAME} (INN {LEGAL_INN}, OGRN {LEGAL_OGRN}, address: {LEGAL_ADDRESS}), the "Seller",
offers anyone (the "Buyer") a contract of sale of the goods shown in the online shop "{NAME}"
on the terms of this public offer (article 437 of the Civil Code of the Russian
Federation).</p>
<p>Placing an order on the site means full and unconditional acceptance of this offer.</p>
<h2>2. Subject</h2>
<p>The Seller hands over the goods of the order; the Buyer pays for them and accepts them. Each
product's description, price and availability are shown on its page.</p>
<h2>3. Price and payment</h2>
<p>Prices are in roubles and include VAT where the Seller pays it. The price of a placed order
does not change. Payment methods are listed on the "Delivery and payment" page. The Buyer gets
a fiscal receipt under Federal Law 54-FZ.</p>
<h2>4. Delivery</h2>
<p>Delivery times, methods and prices are on the "Delivery and payment" page.</p>
<h2>5. Returns</h2>
<p>The Buyer may return goods of proper quality within 7 days of receiving them (article 26.1
of the Consumer Rights Protection Law). See the "Returns" page.</p>
<h2>6. Personal data</h2>
<p>The Buyer's personal data are processed under the Personal data policy, with the Buyer's
consent.</p>
<h2>7. Seller's details</h2>
<p>{LEGAL_NAME}, INN {LEGAL_INN}, OGRN {LEGAL_OGRN}, {LEGAL_ADDRESS}, {LEGAL_EMAIL},
{LEGAL_PHONE}.</p>""",
    ),
    "privacy": (
        "Политика обработки персональных данных",
        """<h2>1. Оператор</h2>
<p>Оператор персональных данных — {LEGAL_NAME} (ИНН {LEGAL_INN}, адрес: {LEGAL_ADDRESS}).
Политика составлена в соответствии с Федеральным законом № 152-ФЗ «О персональных данных».</p>
<h2>2. Какие данные мы обрабатываем</h2>
<ul><li>имя, адрес электронной почты, телефон;</li>
<li>адрес доставки;</li>
<li>сведения о заказах и платежах (без данных банковских карт);</li>
<li>IP-адрес и сведения о браузере при оформлении заказа и регистрации.</li></ul>
<h2>3. Цели обработки</h2>
<p>Регистрация на сайте, оформление, оплата и доставка заказов, выдача кассовых чеков, ответы
на обращения, исполнение требований закона.</p>
<h2>4. Согласие</h2>
<p>Данные обрабатываются с согласия субъекта, которое он даёт отдельно, отмечая поле согласия
при регистрации или оформлении заказа. Согласие можно отозвать, написав на {LEGAL_EMAIL}.</p>
<h2>5. Передача третьим лицам</h2>
<p>Данные передаются только тем, без кого заказ нельзя исполнить: службам доставки,
платёжному сервису и оператору фискальных данных, — в объёме, необходимом для этого.</p>
<h2>6. Хранение и защита</h2>
<p>Данные хранятся на серверах в Российской Федерации, не дольше, чем требуют цели обработки и
закон. Пароли хранятся только в виде хеша.</p>
<h2>7. Права субъекта</h2>
<p>Вы вправе получить сведения о своих данных (в личном кабинете есть выгрузка «Мои данные»),
потребовать их уточнения или удаления и отозвать согласие. Обращения: {LEGAL_EMAIL},
{LEGAL_PHONE}.</p>""",
        "Personal data policy",
        """<h2>1. Operator</h2>
<p>The operator of personal data is {LEGAL_NAME} (INN {LEGAL_INN}, address: {LEGAL_ADDRESS}).
This policy follows Federal Law No. 152-FZ "On Personal Data".</p>
<h2>2. What we process</h2>
<ul><li>name, email address, phone;</li>
<li>delivery address;</li>
<li>orders and payments (never bank card data);</li>
<li>IP address and browser details when you register or place an order.</li></ul>
<h2>3. Purposes</h2>
<p>Registration, placing, paying for and delivering orders, fiscal receipts, answering your
questions, duties under the law.</p>
<h2>4. Consent</h2>
<p>Data are processed with the person's consent, given separately by ticking the consent box
when registering or placing an order. Consent can be withdrawn by writing to {LEGAL_EMAIL}.</p>
<h2>5. Third parties</h2>
<p>Data go only to those without whom an order cannot be fulfilled: delivery services, the
payment service and the fiscal data operator, and only as much as they need.</p>
<h2>6. Storage and protection</h2>
<p>Data are stored on servers in the Russian Federation for no longer than the purposes and
the law require. Passwords are stored only as hashes.</p>
<h2>7. Your rights</h2>
<p>You may learn what data we hold (your account has a "My data" download), have them
corrected or deleted, and withdraw your consent. Write to {LEGAL_EMAIL} or call
{LEGAL_PHONE}.</p>""",
    ),
    "delivery": (
        "Доставка и оплата",
        """<h2>Доставка</h2>
<p>Доставляем по всей России курьером и в пункты выдачи. Стоимость и сроки доставки
рассчитываются при оформлении заказа и зависят от способа и суммы заказа.</p>
<h2>Оплата</h2>
<ul><li>банковской картой или через СБП на сайте;</li>
<li>наличными или картой при получении, если способ доставки это позволяет.</li></ul>
<p>На каждую оплату выдаётся кассовый чек в соответствии с 54-ФЗ; он приходит на адрес
электронной почты, указанный в заказе.</p>""",
        "Delivery and payment",
        """<h2>Delivery</h2>
<p>We deliver across Russia by courier and to pickup points. The price and time of delivery
are worked out at checkout and depend on the method and the order's total.</p>
<h2>Payment</h2>
<ul><li>by bank card or SBP (the Faster Payments System) on the site;</li>
<li>in cash or by card on delivery, where the delivery method allows it.</li></ul>
<p>Every payment gets a fiscal receipt under Federal Law 54-FZ, sent to the email address of
the order.</p>""",
    ),
    "returns": (
        "Возврат товара",
        """<h2>Товар надлежащего качества</h2>
<p>Вы можете отказаться от товара в течение 7 дней после получения, если сохранены его
товарный вид и потребительские свойства, а также документ об оплате. Деньги за товар
возвращаются в течение 10 дней после получения требования, за вычетом расходов на обратную
доставку.</p>
<h2>Товар с недостатком</h2>
<p>Если товар оказался с недостатком, вы вправе потребовать замены, ремонта, уменьшения цены
или возврата денег (статья 18 Закона «О защите прав потребителей»).</p>
<h2>Как оформить возврат</h2>
<p>Откройте заказ в личном кабинете (или по ссылке из письма) и выберите товары для возврата,
либо напишите на {LEGAL_EMAIL}.</p>""",
        "Returns",
        """<h2>Goods of proper quality</h2>
<p>You may return goods within 7 days of receiving them if their presentation and properties
are intact and you keep the proof of payment. The money is returned within 10 days of the
request, less the cost of sending the goods back.</p>
<h2>Faulty goods</h2>
<p>For faulty goods you may ask for a replacement, a repair, a lower price or your money back
(article 18 of the Consumer Rights Protection Law).</p>
<h2>How to return</h2>
<p>Open the order in your account (or through the link in our email) and choose what to
return, or write to {LEGAL_EMAIL}.</p>""",
    ),
    "contacts": (
        "Контакты",
        """<p>Интернет-магазин «{NAME}».</p>
<ul><li>Электронная почта: {LEGAL_EMAIL}</li>
<li>Телефон: {LEGAL_PHONE}</li></ul>
<h2>Реквизиты</h2>
<p>{LEGAL_NAME}<br>ИНН {LEGAL_INN}<br>ОГРН {LEGAL_OGRN}<br>Адрес: {LEGAL_ADDRESS}</p>""",
        "Contacts",
        """<p>The online shop "{NAME}".</p>
<ul><li>Email: {LEGAL_EMAIL}</li>
<li>Phone: {LEGAL_PHONE}</li></ul>
<h2>Company details</h2>
<p>{LEGAL_NAME}<br>INN {LEGAL_INN}<br>OGRN {LEGAL_OGRN}<br>Address: {LEGAL_ADDRESS}</p>""",
    ),
}


# The shop's name as English readers see it when SHOP_NAME is left at the demo's (the
# storefront's header translates it too).
DEMO_NAMES = {"Лавка": "Lavka"}


def _details(config, lang_index: int) -> dict:
    """Each setting's value (escaped: it goes into HTML), or its visible placeholder."""
    details = {}
    for key, (setting, *placeholders) in DETAILS.items():
        value = config.get(setting) or placeholders[lang_index]
        if lang_index == 1:
            value = DEMO_NAMES.get(value, value)
        details[key] = str(escape(value))
    return details


def default_text(slug: str, config) -> dict:
    """title_ru, body_ru, title_en, body_en of the template for `slug`, details filled in."""
    title_ru, body_ru, title_en, body_en = TEXTS[slug]
    return {
        "title_ru": title_ru,
        "body_ru": NOTICE_RU + "\n" + body_ru.format(**_details(config, 0)),
        "title_en": title_en,
        "body_en": NOTICE_EN + "\n" + body_en.format(**_details(config, 1)),
    }
