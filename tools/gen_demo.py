#!/usr/bin/env python3
"""Generate the demo data of crm_order_management, deterministically.

    python3 tools/gen_demo.py crm_order_management/demo

Writes res_partner_demo.xml, product_product_demo.xml and crm_order_demo.xml (the
orders with their status changes, ratings and tracking events).
All dates are relative to the install moment (DateTime.today() in the XML).
"""

import random
import sys
from pathlib import Path
from xml.sax.saxutils import escape

SEED = 18_0_2026
OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/demo_out")

M = "crm_order_management."
ST = {
    "draft": M + "order_status_draft",
    "payment": M + "order_status_awaiting_payment",
    "shipment": M + "order_status_awaiting_shipment",
    "receipt": M + "order_status_awaiting_receipt",
    "completed": M + "order_status_completed",
    "cancelled": M + "order_status_cancelled",
}
TY = {
    "new": M + "order_type_new",
    "returning": M + "order_type_returning",
    "recurring": M + "order_type_recurring",
    "competitor": M + "order_type_competitor",
}
CANCEL_REASONS = {
    "customer": "Customer changed their mind",
    "price": "Price too high",
    "competitor": "Chose a competitor",
    "stock": "Out of stock",
    "duplicate": "Duplicate order",
    "other": "Other",
}
CANCEL_NOTES = {
    "customer": "Project postponed to next year.",
    "price": "Asked for a discount we could not give.",
    "competitor": "Went with a cheaper local supplier.",
    "stock": "Supplier could not deliver in time.",
    "duplicate": "Entered twice by mistake.",
    "other": "Customer closed the office.",
}
CHAIN = ["draft", "payment", "shipment", "receipt", "completed"]
HEADER = '<?xml version="1.0" encoding="UTF-8" ?>'


def x(text):
    return escape(text, {'"': "&quot;"})


# ---------------------------------------------------------------------------
# Customers
# ---------------------------------------------------------------------------
# key, name, street, city, zip, country, phone, email domain, default type, needs
COMPANIES = [
    (
        "northwind",
        "Northwind Office Supplies",
        "1420 Western Avenue",
        "Seattle",
        "98101",
        "us",
        "+1 206-555-0143",
        "northwind-office.example.com",
        None,
        "Resells office furniture to small businesses; wants short delivery times and "
        "volume discounts on chairs and desks.",
    ),
    (
        "bluepeak",
        "Bluepeak Logistics",
        "3900 Brighton Boulevard",
        "Denver",
        "80216",
        "us",
        "+1 303-555-0178",
        "bluepeak-logistics.example.com",
        None,
        "Equips two new dispatch centres this year: headsets, monitors and on-site installation.",
    ),
    (
        "harbor_finch",
        "Harbor & Finch Architects",
        "88 Atlantic Avenue",
        "Boston",
        "02110",
        "us",
        "+1 617-555-0120",
        "harborfinch.example.com",
        None,
        None,
    ),
    (
        "maple_grove",
        "Maple Grove Clinics",
        "250 Front Street West",
        "Toronto",
        "M5V 3G5",
        "ca",
        "+1 416-555-0199",
        "maplegroveclinics.example.com",
        "recurring",
        "Monthly replenishment of paper and toner for 12 clinics, plus the helpdesk subscription.",
    ),
    (
        "lakeside",
        "Lakeside Dental Group",
        "233 South Wacker Drive",
        "Chicago",
        "60606",
        "us",
        "+1 312-555-0164",
        "lakesidedental.example.com",
        "recurring",
        "Scheduled supplies order every month; prefers delivery on Mondays.",
    ),
    (
        "sunrise",
        "Sunrise Hotels Group",
        "1101 Brickell Avenue",
        "Miami",
        "33131",
        "us",
        "+1 305-555-0111",
        "sunrisehotels.example.com",
        None,
        "Refurbishing the business centres of its hotels; asks for staff training on the new "
        "equipment.",
    ),
    (
        "kessler",
        "Kessler Maschinenbau GmbH",
        "Industriestraße 14",
        "Stuttgart",
        "70565",
        "de",
        "+49 711 5550182",
        "kessler-maschinenbau.example.com",
        None,
        "Needs rugged network equipment for the workshop floor and a support contract.",
    ),
    (
        "brightwave",
        "Brightwave Media",
        "25 Shoreditch High Street",
        "London",
        "E1 6PJ",
        "uk",
        "+44 20 7946 0321",
        "brightwave-media.example.com",
        "competitor",
        "Switched from a competitor after repeated delivery delays; watch lead times closely.",
    ),
    (
        "lumiere",
        "Atelier Lumière",
        "12 Rue de la République",
        "Lyon",
        "69002",
        "fr",
        "+33 4 72 55 01 34",
        "atelier-lumiere.example.com",
        None,
        None,
    ),
    (
        "van_dijk",
        "Van Dijk Installatietechniek",
        "Vredenburg 40",
        "Utrecht",
        "3511 BD",
        "nl",
        "+31 30 555 0147",
        "vandijk-installatie.example.com",
        None,
        None,
    ),
    (
        "hengtai",
        "Shanghai Hengtai Trading Co., Ltd.",
        "1788 West Nanjing Road",
        "Shanghai",
        "200040",
        "cn",
        "+86 21 5555 0128",
        "hengtai-trading.example.com",
        None,
        "Importer for the Yangtze delta region; orders in bulk twice a quarter.",
    ),
    (
        "lianchuang",
        "Shenzhen Lianchuang Electronics",
        "9 Keji South Road",
        "Shenzhen",
        "518057",
        "cn",
        "+86 755 5555 0163",
        "lianchuang-elec.example.com",
        None,
        "R&D offices expanding; needs standing desks and 4K monitors for engineers.",
    ),
    (
        "greenleaf",
        "Hangzhou Greenleaf Tea Co.",
        "66 Longjing Road",
        "Hangzhou",
        "310013",
        "cn",
        "+86 571 5555 0190",
        "greenleaf-tea.example.com",
        None,
        None,
    ),
    (
        "pacific",
        "Pacific Coast Realty",
        "600 West Broadway",
        "San Diego",
        "92101",
        "us",
        "+1 619-555-0152",
        "pacificcoastrealty.example.com",
        None,
        None,
    ),
    (
        "ironbridge",
        "Ironbridge Engineering Ltd",
        "1 Spinningfields",
        "Manchester",
        "M3 3AP",
        "uk",
        "+44 161 496 0755",
        "ironbridge-eng.example.com",
        None,
        "Engineering consultancy; values fast technical support over price.",
    ),
    (
        "clearwater",
        "Clearwater Accounting LLP",
        "301 Congress Avenue",
        "Austin",
        "78701",
        "us",
        "+1 512-555-0187",
        "clearwater-cpa.example.com",
        None,
        "Busy season from January to April: wants everything installed before then.",
    ),
    (
        "nordlicht",
        "Nordlicht Software AG",
        "Speicherstadt, Am Sandtorkai 5",
        "Hamburg",
        "20457",
        "de",
        "+49 40 5550 1290",
        "nordlicht-software.example.com",
        "competitor",
        "Won from a competitor with an all-in support offer; renewal due next spring.",
    ),
    (
        "orchard",
        "Orchard Valley Schools",
        "1120 SW 5th Avenue",
        "Portland",
        "97204",
        "us",
        "+1 503-555-0116",
        "orchardvalleyschools.example.org",
        None,
        "School district: buys before each term, needs purchase orders and training for staff.",
    ),
    (
        "meridian",
        "Meridian Legal Partners",
        "350 Fifth Avenue",
        "New York",
        "10118",
        "us",
        "+1 212-555-0139",
        "meridianlegal.example.com",
        None,
        "Confidential documents: requires shredders and certified equipment disposal.",
    ),
    (
        "riverstone",
        "Riverstone Coworking",
        "Keizersgracht 520",
        "Amsterdam",
        "1017 EK",
        "nl",
        "+31 20 555 0172",
        "riverstone-cowork.example.com",
        "recurring",
        "Three coworking spaces; monthly consumables order and helpdesk subscription.",
    ),
    (
        "altura",
        "Altura Fitness Clubs",
        "Calle de Alcalá 120",
        "Madrid",
        "28009",
        "es",
        "+34 91 555 0148",
        "alturafitness.example.com",
        None,
        None,
    ),
    (
        "bellavista",
        "Bellavista Ristoranti S.r.l.",
        "Via Torino 61",
        "Milano",
        "20123",
        "it",
        "+39 02 5550 1836",
        "bellavista-ristoranti.example.com",
        None,
        None,
    ),
]
# key, company key, name, job position, e-mail local part, phone
PERSONS = [
    (
        "emily_carter",
        "northwind",
        "Emily Carter",
        "Purchasing Manager",
        "emily.carter",
        "+1 206-555-0147",
    ),
    (
        "daniel_brooks",
        "bluepeak",
        "Daniel Brooks",
        "IT Manager",
        "d.brooks",
        "+1 303-555-0181",
    ),
    (
        "wang_fang",
        "hengtai",
        "Wang Fang",
        "Procurement Director",
        "wang.fang",
        "+86 138 5555 0126",
    ),
    (
        "lukas_becker",
        "kessler",
        "Lukas Becker",
        "Head of Facilities",
        "l.becker",
        "+49 711 5550189",
    ),
    (
        "sophie_martin",
        "lumiere",
        "Sophie Martin",
        "Office Manager",
        "sophie.martin",
        "+33 6 55 50 12 87",
    ),
    (
        "olivia_bennett",
        "sunrise",
        "Olivia Bennett",
        "Operations Director",
        "o.bennett",
        "+1 305-555-0119",
    ),
]
# Base demo partners of the crm demo opportunities used below.
OPPORTUNITIES = [
    # opportunity, its customer, final status, days ago (creation)
    ("crm.crm_case_20", "base.res_partner_3", "completed", 128),  # won
    ("crm.crm_case_23", "base.res_partner_18", "completed", 96),  # won
    ("crm.crm_case_14", "base.res_partner_2", "payment", 21),
    ("crm.crm_case_16", "base.res_partner_4", "shipment", 34),
    ("crm.crm_case_19", "base.res_partner_12", "draft", 6),
    ("crm.crm_case_31", "base.res_partner_5", "draft", 3),
]

# ---------------------------------------------------------------------------
# Products and services
# ---------------------------------------------------------------------------
# key, name, type, service kind, price, code, unit, (min qty, max qty), description
PRODUCTS = [
    (
        "office_chair",
        "Ergonomic Office Chair",
        "consu",
        None,
        289.0,
        "FUR-CHAIR-01",
        "unit",
        (1, 25),
        "Mesh back, adjustable lumbar support and 4D armrests.",
    ),
    (
        "standing_desk",
        "Electric Standing Desk 160×80",
        "consu",
        None,
        649.0,
        "FUR-DESK-160",
        "unit",
        (1, 12),
        "Dual motor, height 62–127 cm, three memory positions.",
    ),
    (
        "monitor_4k",
        '27" 4K Monitor',
        "consu",
        None,
        399.0,
        "IT-MON-27K",
        "unit",
        (1, 20),
        None,
    ),
    (
        "keyboard_mouse",
        "Wireless Keyboard and Mouse Set",
        "consu",
        None,
        79.9,
        "IT-KBM-02",
        "unit",
        (2, 30),
        None,
    ),
    (
        "laser_printer",
        "Laser Printer Pro M400",
        "consu",
        None,
        459.0,
        "IT-PRN-M400",
        "unit",
        (1, 3),
        "Duplex, 40 pages per minute, network ready.",
    ),
    (
        "copy_paper",
        "A4 Copy Paper, Box of 5 Reams",
        "consu",
        None,
        32.5,
        "SUP-PAP-A4",
        "unit",
        (4, 40),
        None,
    ),
    (
        "toner_black",
        "Toner Cartridge, Black",
        "consu",
        None,
        89.0,
        "SUP-TON-BK",
        "unit",
        (2, 12),
        "For the Laser Printer Pro M400; about 9,000 pages.",
    ),
    (
        "speakerphone",
        "Conference Room Speakerphone",
        "consu",
        None,
        219.0,
        "AV-SPK-360",
        "unit",
        (1, 4),
        None,
    ),
    (
        "network_switch",
        "Managed Network Switch, 24 Ports",
        "consu",
        None,
        349.0,
        "IT-NET-SW24",
        "unit",
        (1, 3),
        None,
    ),
    (
        "headset",
        "Noise-Cancelling Headset",
        "consu",
        None,
        149.0,
        "AV-HDS-NC",
        "unit",
        (2, 20),
        None,
    ),
    (
        "shredder",
        "Cross-Cut Document Shredder",
        "consu",
        None,
        189.0,
        "OFF-SHR-P4",
        "unit",
        (1, 2),
        "Security level P-4, 20-litre bin.",
    ),
    (
        "installation",
        "On-site Installation",
        "service",
        "after_sales",
        85.0,
        "SRV-INST",
        "hour",
        (2, 16),
        "Delivery to the room, assembly, cabling and removal of packaging.",
    ),
    (
        "warranty",
        "Extended Warranty, 2 Years",
        "service",
        "after_sales",
        120.0,
        "SRV-WAR-2Y",
        "unit",
        (1, 10),
        "Parts and labour, next-business-day replacement.",
    ),
    (
        "support_hours",
        "Technical Support",
        "service",
        "support",
        95.0,
        "SRV-SUP-H",
        "hour",
        (2, 20),
        None,
    ),
    (
        "support_contract",
        "Annual Support Contract",
        "service",
        "support",
        1200.0,
        "SRV-SUP-Y",
        "unit",
        (1, 1),
        "Unlimited remote support and two on-site visits a year.",
    ),
    (
        "helpdesk",
        "Remote Helpdesk, Monthly Subscription",
        "service",
        "support",
        250.0,
        "SRV-HLP-M",
        "unit",
        (1, 1),
        None,
    ),
    (
        "training",
        "Product Training, Half Day",
        "service",
        "training",
        480.0,
        "SRV-TRN-HD",
        "unit",
        (1, 3),
        "On site, up to 10 participants.",
    ),
    (
        "ergonomics_workshop",
        "Workplace Ergonomics Workshop",
        "service",
        "training",
        350.0,
        "SRV-TRN-ERG",
        "unit",
        (1, 2),
        None,
    ),
    (
        "recycling",
        "Equipment Recycling and Disposal",
        "service",
        "other",
        60.0,
        "SRV-RCY",
        "unit",
        (1, 10),
        "Certified collection and data-safe disposal, per device.",
    ),
]
PRODUCT = {p[0]: p for p in PRODUCTS}
RECURRING_BASKET = [
    "copy_paper",
    "toner_black",
    "helpdesk",
    "keyboard_mouse",
    "headset",
]
GOODS = [p[0] for p in PRODUCTS if p[2] == "consu"]
SERVICES = [p[0] for p in PRODUCTS if p[2] == "service"]

NOTES = [
    "Customer asked for delivery before the end of the month.",
    "Deliver to the loading dock at the back of the building.",
    "Quote sent by e-mail; waiting for the signed purchase order.",
    "Partial delivery accepted if some items are out of stock.",
    "Invoice to the head office, deliver to the branch.",
    "Installation to be scheduled outside office hours.",
]
ACTIVITIES = {
    "draft": ("mail.mail_activity_data_call", "Call the customer to confirm the quote"),
    "payment": ("mail.mail_activity_data_todo", "Check that the payment has arrived"),
    "shipment": ("mail.mail_activity_data_todo", "Book the carrier for the shipment"),
    "receipt": ("mail.mail_activity_data_call", "Check the delivery with the customer"),
}

# Tracking events: what the staff logged, by the status the order was in at the time.
# status -> [(kind, summary)]
FOLLOW_UPS = {
    "draft": [
        ("call", "Called the buyer to confirm the quantities"),
        ("email", "Sent the quote with the volume discount"),
        ("meeting", "Went through the quote with the buyer"),
        ("call", "Called to confirm the delivery address"),
    ],
    "payment": [
        ("email", "Sent the pro-forma invoice to accounts payable"),
        ("call", "Reminded the customer of the open payment"),
        ("email", "Sent the bank details again, with the order reference"),
        ("call", "Accounts payable confirmed the transfer is scheduled"),
        ("other", "Checked the incoming payments with finance"),
    ],
    "shipment": [
        ("other", "Checked stock availability with the warehouse"),
        ("email", "Shared the expected dispatch date with the customer"),
        ("call", "Agreed the delivery slot with the customer"),
        ("other", "Booked the carrier for the shipment"),
        ("email", "Sent the packing list for the goods-in team"),
    ],
    "receipt": [
        ("delivery_check", "Tracked the shipment: out for delivery today"),
        ("delivery_check", "Carrier confirmed delivery at the reception desk"),
        ("delivery_check", "Parcel held at the depot; arranged a new delivery"),
        ("call", "Called to check that all boxes arrived"),
        ("email", "Sent the tracking link to the customer"),
    ],
    "completed": [
        ("call", "Follow-up call: the customer is happy with the order"),
        ("email", "Sent the warranty details and the handover notes"),
        ("meeting", "Review meeting on the rollout with the office manager"),
        ("call", "Asked the customer for feedback on the delivery"),
    ],
}
# Extra follow-ups of orders with on-site services, once the goods are on their way.
SERVICE_FOLLOW_UPS = {
    "installation": ("meeting", "Went through the installation plan on site"),
    "training": ("email", "Sent the training agenda and the list of participants"),
    "ergonomics_workshop": ("call", "Scheduled the ergonomics workshop"),
    "recycling": ("other", "Booked the collection of the old equipment"),
}
# Ratings of completed orders: rating -> short customer comments.
RATING_WEIGHTS = {5: 45, 4: 33, 3: 14, 2: 8}
RATING_COMMENTS = {
    5: [
        "Fast delivery and a very helpful team.",
        "Everything arrived on time and well packed.",
        "Excellent installation, the team was tidy and quick.",
        "Great service from the first call to the delivery.",
        "Smooth order, as always.",
    ],
    4: [
        "Good products; delivery took a day longer than planned.",
        "Happy with the order, the invoice needed a correction.",
        "Good service, but we had to chase the tracking number.",
        "All fine, the installation ran a bit late.",
    ],
    3: [
        "One item arrived damaged and was replaced.",
        "Delivery was late and nobody warned us.",
        "Products are fine, communication could be better.",
    ],
    2: [
        "Two weeks late, and the order was incomplete.",
        "Delivered to the wrong site; it took days to sort out.",
    ],
}


def when(hours_ago):
    days, hours = divmod(hours_ago, 24)
    return (
        f"(DateTime.today() - relativedelta(days={days}, hours={hours}))"
        ".strftime('%Y-%m-%d %H:%M:%S')"
    )


# ---------------------------------------------------------------------------
# Order plan
# ---------------------------------------------------------------------------
def plan_orders(rng):
    companies = [c[0] for c in COMPANIES]
    contacts = {}
    for key, company, *_ in PERSONS:
        contacts.setdefault(company, []).append(key)
    default_type = {c[0]: c[8] for c in COMPANIES}
    recurring = [c for c in companies if default_type[c] == "recurring"]
    others = [c for c in companies if default_type[c] != "recurring"]

    orders = []  # dicts: age (hours), entity, partner ref, opportunity, final
    # Recurring customers: one order about every five weeks.
    for company in recurring:
        start = rng.randint(160, 175)
        for i in range(5):
            days = start - i * 35 + rng.randint(-3, 3)
            orders.append({"entity": company, "age": days * 24 + rng.randint(0, 10)})
    # Orders of crm demo opportunities.
    for lead, partner, final, days in OPPORTUNITIES:
        orders.append(
            {
                "entity": partner,
                "partner": partner,
                "opportunity": lead,
                "final": final,
                "age": days * 24 + rng.randint(1, 9),
                "user": "base.user_admin",
            }
        )
    # Everything else: other customers, any time in the last six months.
    weights = [rng.choice([1, 1, 2, 3]) for _ in others]
    while len(orders) < 84:
        company = rng.choices(others, weights)[0]
        # More orders lately: a growing business.
        age = 10 + int((180 * 24 - 11) * rng.random() ** 1.4)
        orders.append({"entity": company, "age": age})

    # Final statuses: drafts and open orders are recent, the rest is done or cancelled.
    orders.sort(key=lambda o: o["age"])
    free = [o for o in orders if "final" not in o]
    targets = {"draft": 15, "payment": 9, "shipment": 8, "receipt": 8, "cancelled": 12}
    for o in orders:
        if "final" in o and o["final"] in targets:
            targets[o["final"]] -= 1
    recent = [o for o in free if o["age"] < 30 * 24]
    drafts = rng.sample(recent, targets["draft"] - 2) + rng.sample(
        [o for o in free if 30 * 24 <= o["age"] < 100 * 24], 2
    )
    for o in drafts:
        o["final"] = "draft"
    for status in ("payment", "shipment", "receipt"):
        limit = {"payment": 45, "shipment": 70, "receipt": 90}[status]
        pool = [o for o in free if "final" not in o and 24 < o["age"] < limit * 24]
        for o in rng.sample(pool, targets[status]):
            o["final"] = status
    pool = [o for o in free if "final" not in o and o["age"] > 72]
    for o in rng.sample(pool, targets["cancelled"]):
        o["final"] = "cancelled"
    for o in free:
        o.setdefault("final", "completed")

    # Oldest first, so that the numbers follow the order dates.
    orders.sort(key=lambda o: -o["age"])
    seen = set()
    salesperson = {
        c: rng.choice(["base.user_admin", "base.user_demo"]) for c in companies
    }
    for o in orders:
        entity = o["entity"]
        first = entity not in seen
        seen.add(entity)
        dtype = default_type.get(entity)
        if dtype == "recurring":
            o["type"] = "recurring"
        elif dtype == "competitor":
            # Won from a competitor; later orders are often plain repeat business.
            o["type"] = "competitor" if first or rng.random() < 0.4 else "returning"
        elif first:
            o["type"] = "competitor" if rng.random() < 0.2 else "new"
        else:
            o["type"] = "returning"
        if "partner" not in o:
            choices = contacts.get(entity, [])
            if choices and rng.random() < 0.5:
                o["partner"] = rng.choice(choices) + "_demo"
            else:
                o["partner"] = "customer_" + entity + "_demo"
        o.setdefault("user", salesperson.get(entity, "base.user_admin"))
    # A few unassigned orders: new inquiries and abandoned ones.
    for o in rng.sample(
        [
            o
            for o in orders
            if o["final"] in ("draft", "cancelled") and "opportunity" not in o
        ],
        7,
    ):
        o["user"] = None
    # Steps and their moments.
    for o in orders:
        o["steps"] = plan_steps(rng, o)
        o["lines"] = plan_lines(rng, o)
        o["note"] = rng.choice(NOTES) if rng.random() < 0.15 else None
    return orders


def plan_follow_ups(rng, orders):
    """Tracking events of most orders that left draft, and ratings of about 70% of
    the completed orders. Their own generator: the orders stay as they were."""
    users = ["base.user_admin", "base.user_demo"]
    for o in orders:
        o["events"], o["rating"] = [], None
        moments = [(status, hours) for status, hours in o["steps"]]
        if not moments or moments[0][0] == "cancelled" or rng.random() < 0.12:
            continue
        # Events after the order date, until its end (a few days after its
        # completion for a follow-up call), and at least one hour ago.
        last_status, last = moments[-1]
        if last_status == "cancelled":
            end = last + 1
        elif last_status == "completed":
            end = max(1, last - rng.randint(24, 120))
        else:
            end = 1
        if o["age"] - end < 2:
            continue
        count = min(rng.choices([1, 2, 3, 4], [30, 35, 22, 13])[0], o["age"] - end - 1)
        owner = o["user"] or rng.choice(users)
        other = users[1 - users.index(owner)]
        services = [
            SERVICE_FOLLOW_UPS[key]
            for key, *_ in o["lines"]
            if key in SERVICE_FOLLOW_UPS
        ]
        used = set()
        for hours in sorted(rng.sample(range(end, o["age"]), count), reverse=True):
            # The status the order was in at that moment.
            status = "draft"
            for step, moment in moments:
                if moment >= hours:
                    status = step
            pool = list(FOLLOW_UPS[status])
            if status in ("shipment", "receipt", "completed"):
                pool += services
            pool = [item for item in pool if item not in used] or pool
            kind, summary = rng.choice(pool)
            used.add((kind, summary))
            user = owner if rng.random() < 0.7 else other
            o["events"].append((hours, user, kind, summary))
    for o in orders:
        if o["final"] != "completed" or rng.random() >= 0.7:
            continue
        done = o["steps"][-1][1]
        if done < 2:
            continue
        rating = rng.choices(list(RATING_WEIGHTS), list(RATING_WEIGHTS.values()))[0]
        # Given a few hours to ten days after the completion, at least an hour ago.
        hours = rng.randint(max(1, done - 240), done - 1)
        o["rating"] = (rating, rng.choice(RATING_COMMENTS[rating]), hours)


def plan_steps(rng, order):
    final = order["final"]
    if final == "cancelled":
        reached = rng.choices(
            ["draft", "payment", "shipment", "receipt"], [50, 30, 15, 5]
        )[0]
        path = CHAIN[1 : CHAIN.index(reached) + 1] + ["cancelled"]
    else:
        path = CHAIN[1 : CHAIN.index(final) + 1]
    gap_range = {
        "payment": (1, 96),
        "shipment": (2, 120),
        "receipt": (4, 96),
        "completed": (24, 240),
        "cancelled": (12, 400),
    }
    gaps = [rng.randint(*gap_range[s]) for s in path]
    available = order["age"] - 1  # the last step at least one hour ago
    if sum(gaps) > available * 0.9:
        factor = available * 0.9 / sum(gaps)
        gaps = [max(1, int(g * factor)) for g in gaps]
    assert sum(gaps) <= available, order
    steps, moment = [], order["age"]
    for status, gap in zip(path, gaps, strict=True):
        moment -= gap
        steps.append((status, moment))
    return steps


def plan_cancel_reasons(rng, orders):
    """A cancel reason (and sometimes a note) for every cancelled order; the
    competitor orders mostly chose the competitor."""
    keys = list(CANCEL_REASONS)
    for o in orders:
        if o["final"] != "cancelled":
            continue
        weights = [25, 20, 15, 10, 10, 5]
        if o["type"] == "competitor":
            weights = [10, 15, 60, 5, 5, 5]
        key = rng.choices(keys, weights)[0]
        note = CANCEL_NOTES[key] if rng.random() < 0.5 else None
        o["cancel_reason"] = (key, note)


def plan_lines(rng, order):
    count = rng.choices([1, 2, 3, 4], [30, 35, 20, 15])[0]
    if order["type"] == "recurring":
        products = rng.sample(RECURRING_BASKET, min(count, 3))
    else:
        services = rng.sample(SERVICES, rng.choice([0, 0, 1, 1, 2]))[:count]
        products = rng.sample(GOODS, count - len(services)) + services
    lines = []
    for key in products:
        low, high = PRODUCT[key][7]
        quantity = rng.randint(low, high)
        discount = rng.choice([5, 10, 15]) if rng.random() < 0.2 else 0
        lines.append((key, quantity, discount))
    return lines


# ---------------------------------------------------------------------------
# XML
# ---------------------------------------------------------------------------
def field(name, value=None, ref=None, eval_=None):
    if ref:
        return f'        <field name="{name}" ref="{ref}"/>'
    if eval_ is not None:
        return f'        <field name="{name}" eval="{x(eval_)}"/>'
    return f'        <field name="{name}">{x(value)}</field>'


def write_partners():
    out = [HEADER, '<odoo noupdate="1">']
    out.append(
        "    <!-- Customer companies: address, phone, e-mail; some with their needs "
        "and a default order type -->"
    )
    for (
        key,
        name,
        street,
        city,
        zip_,
        country,
        phone,
        domain,
        dtype,
        needs,
    ) in COMPANIES:
        out.append(f'    <record id="customer_{key}_demo" model="res.partner">')
        out.append(field("name", name))
        out.append(field("is_company", eval_="True"))
        out.append(field("street", street))
        out.append(field("city", city))
        out.append(field("zip", zip_))
        out.append(field("country_id", ref=f"base.{country}"))
        out.append(field("phone", phone))
        out.append(field("email", f"info@{domain}"))
        out.append(field("website", f"https://www.{domain}"))
        if needs:
            out.append(field("customer_needs", needs))
        if dtype:
            out.append(field("crm_order_type_id", ref=TY[dtype]))
        out.append("    </record>")
    out.append("")
    out.append(
        "    <!-- Contact persons of customer companies (their orders count for the "
        "company) -->"
    )
    domains = {c[0]: c[7] for c in COMPANIES}
    for key, company, name, job, local, phone in PERSONS:
        out.append(f'    <record id="{key}_demo" model="res.partner">')
        out.append(field("name", name))
        out.append(field("parent_id", ref=f"customer_{company}_demo"))
        out.append(field("function", job))
        out.append(field("phone", phone))
        out.append(field("email", f"{local}@{domains[company]}"))
        out.append("    </record>")
    out.append("</odoo>")
    (OUT / "res_partner_demo.xml").write_text("\n".join(out) + "\n")


def write_products():
    out = [HEADER, '<odoo noupdate="1">']
    out.append("    <!-- Product categories -->")
    for key, name in (
        ("office_equipment", "Office Equipment"),
        ("services", "Services"),
    ):
        out.append(
            f'    <record id="product_category_{key}_demo" model="product.category">'
        )
        out.append(field("name", name))
        out.append(field("parent_id", ref="product.product_category_all"))
        out.append("    </record>")
    for title, kind in (
        ("Goods", "consu"),
        ("Services: after-sales, support, training, other", "service"),
    ):
        out.append("")
        out.append(f"    <!-- {title} -->")
        for key, name, ptype, skind, price, code, unit, _qty, desc in PRODUCTS:
            if ptype != kind:
                continue
            out.append(f'    <record id="product_{key}_demo" model="product.product">')
            out.append(field("name", name))
            out.append(field("default_code", code))
            out.append(field("type", ptype))
            if skind:
                out.append(field("service_kind", skind))
            categ = "office_equipment" if ptype == "consu" else "services"
            out.append(field("categ_id", ref=f"product_category_{categ}_demo"))
            out.append(field("list_price", eval_=repr(price)))
            if unit == "hour":
                out.append(field("uom_id", ref="uom.product_uom_hour"))
                out.append(field("uom_po_id", ref="uom.product_uom_hour"))
            if desc:
                out.append(field("description_sale", desc))
            out.append("    </record>")
    out.append("</odoo>")
    (OUT / "product_product_demo.xml").write_text("\n".join(out) + "\n")


STATUS_LABEL = {
    "draft": "Draft",
    "payment": "Awaiting Payment",
    "shipment": "Awaiting Shipment",
    "receipt": "Awaiting Receipt",
    "completed": "Completed",
    "cancelled": "Cancelled",
}


def write_orders(orders, rng):
    out = [HEADER, '<odoo noupdate="1">']
    out.append("""    <!--
        Customer orders of the last six months, oldest first, each created in draft
        at its order date. The function calls after each order move it along the
        workflow with backdated moments (date_status), which become the dates of its
        status history, made by the order's salesperson. All of it goes through the
        history import mode (context key crm_order_import, honoured for the
        superuser only, the user id naming who made the changes): transitions are
        not checked, the given dates are kept and the status automation does not
        run (no activities for work long done, no emails queued for the demo
        customers). Chatter tracking is disabled: its messages would be dated at
        the installation.
        Then the customer's rating of most completed orders (rating_date given) and
        the tracking events that the salespeople logged (backdated, under their own
        names), through the same import mode.
    -->""")
    for n, o in enumerate(orders, 1):
        oid = f"order_{n:03d}_demo"
        o["id"] = oid
        path = " → ".join(["Draft"] + [STATUS_LABEL[s] for s, _ in o["steps"]])
        out.append("")
        extra = f", opportunity {o['opportunity']}" if "opportunity" in o else ""
        out.append(f"    <!-- {oid}: {o['type']} order, {path}{extra} -->")
        user_ctx = f"'crm_order_import': ref('{o['user'] or 'base.user_admin'}')"
        out.append(
            f'    <record id="{oid}" model="crm.order" '
            f"context=\"{{'tracking_disable': True, {user_ctx}}}\">"
        )
        out.append(field("partner_id", ref=o["partner"]))
        out.append(field("order_type_id", ref=TY[o["type"]]))
        if o["user"]:
            out.append(field("user_id", ref=o["user"]))
        else:
            out.append(field("user_id", eval_="False"))
        out.append(field("date_order", eval_=when(o["age"])))
        out.append(field("date_status", eval_=when(o["age"])))
        if "opportunity" in o:
            out.append(field("opportunity_id", ref=o["opportunity"]))
        if o["note"]:
            out.append(field("note", f"<p>{o['note']}</p>"))
        commands = []
        for key, quantity, discount in o["lines"]:
            vals = f"'product_id': ref('product_{key}_demo'), 'quantity': {quantity}"
            if discount:
                vals += f", 'discount': {discount}"
            commands.append(f"            Command.create({{{vals}}}),")
        out.append('        <field name="line_ids" eval="[')
        out.extend(x(c) for c in commands)
        out.append('        ]"/>')
        out.append("    </record>")
        for status, hours_ago in o["steps"]:
            out.append(
                f'    <function model="crm.order" name="write" '
                f"context=\"{{'tracking_disable': True, {user_ctx}}}\">"
            )
            out.append(f"        <value eval=\"[ref('{oid}')]\"/>")
            out.append(x_value(status, hours_ago, o.get("cancel_reason")))
            out.append("    </function>")
        if o["rating"]:
            rating, comment, hours_ago = o["rating"]
            out.append(
                '    <function model="crm.order" name="write" '
                "context=\"{'tracking_disable': True, 'crm_order_import': True}\">"
            )
            out.append(f"        <value eval=\"[ref('{oid}')]\"/>")
            expr = (
                f"{{'rating': {rating}, 'rating_comment': {comment!r},\n"
                f"                'rating_date': {when(hours_ago)}}}"
            )
            out.append(f'        <value eval="{x(expr)}"/>')
            out.append("    </function>")
        for k, (hours_ago, user, kind, summary) in enumerate(o["events"], 1):
            out.append(
                f'    <record id="{oid[:-5]}_tracking_{k}_demo" '
                'model="crm.order.tracking" context="{\'crm_order_import\': True}">'
            )
            out.append(field("order_id", ref=oid))
            out.append(field("date", eval_=when(hours_ago)))
            out.append(field("user_id", ref=user))
            out.append(field("kind", kind))
            out.append(field("summary", summary))
            out.append("    </record>")
    # Follow-up activities on some orders still in progress.
    pending = [o for o in orders if o["final"] in ACTIVITIES and o["user"]]
    chosen = rng.sample(pending, 10)
    out.append("")
    out.append(
        "    <!-- Follow-up activities on orders still in progress (no e-mail to the "
        "assignee) -->"
    )
    for n, o in enumerate(sorted(chosen, key=lambda o: o["id"]), 1):
        atype, summary = ACTIVITIES[o["final"]]
        out.append(
            f'    <record id="order_activity_{n:02d}_demo" model="mail.activity" '
            "context=\"{'mail_activity_quick_update': True}\">"
        )
        out.append(field("res_model_id", ref=M + "model_crm_order"))
        out.append(field("res_id", ref=o["id"]))
        out.append(field("activity_type_id", ref=atype))
        out.append(field("summary", summary))
        days = rng.randint(-3, 7)
        sign = "+" if days >= 0 else "-"
        out.append(
            field(
                "date_deadline",
                eval_=f"(DateTime.today() {sign} relativedelta(days={abs(days)}))"
                ".strftime('%Y-%m-%d')",
            )
        )
        out.append(field("user_id", ref=o["user"]))
        out.append("    </record>")
    out.append("</odoo>")
    (OUT / "crm_order_demo.xml").write_text("\n".join(out) + "\n")


def x_value(status, hours_ago, cancel_reason=None):
    reason = ""
    if status == "cancelled" and cancel_reason:
        key, note = cancel_reason
        reason = f"\n                'cancel_reason_id': ref('{M}cancel_reason_{key}'),"
        if note:
            reason += f"\n                'cancel_note': {note!r},"
    expr = (
        f"{{'status_id': ref('{ST[status]}'),{reason}\n"
        f"                'date_status': {when(hours_ago)}}}"
    )
    return f'        <value eval="{x(expr)}"/>'


def covered(orders):
    """Every type in every status category, and enough competitor orders."""
    cat = {
        "draft": "draft",
        "payment": "open",
        "shipment": "open",
        "receipt": "open",
        "completed": "done",
        "cancelled": "cancel",
    }
    combos = {(o["type"], cat[o["final"]]) for o in orders}
    competitor = sum(o["type"] == "competitor" for o in orders)
    return len(combos) == 16 and competitor >= 10


def main():
    seed = SEED
    while True:
        rng = random.Random(seed)
        orders = plan_orders(rng)
        if covered(orders):
            break
        seed += 1
    print("seed", seed)
    OUT.mkdir(parents=True, exist_ok=True)
    write_partners()
    write_products()
    plan_follow_ups(random.Random(f"{seed}/follow-ups"), orders)
    plan_cancel_reasons(random.Random(f"{seed}/cancel-reasons"), orders)
    write_orders(orders, rng)
    # Summary, to check the mix.
    from collections import Counter

    print("orders", len(orders))
    print("final", Counter(o["final"] for o in orders))
    print("type", Counter(o["type"] for o in orders))
    cat = {
        "draft": "draft",
        "payment": "open",
        "shipment": "open",
        "receipt": "open",
        "completed": "done",
        "cancelled": "cancel",
    }
    combos = Counter((o["type"], cat[o["final"]]) for o in orders)
    print("type x category", sorted(combos.items()))
    print("users", Counter(o["user"] for o in orders))
    print("history rows", sum(len(o["steps"]) + 1 for o in orders))
    print(
        "tracking events",
        sum(len(o["events"]) for o in orders),
        "on",
        sum(bool(o["events"]) for o in orders),
        "of",
        sum(o["final"] != "draft" for o in orders),
        "orders out of draft",
    )
    print("event users", Counter(e[1] for o in orders for e in o["events"]))
    print("event kinds", Counter(e[2] for o in orders for e in o["events"]))
    print(
        "ratings",
        Counter(o["rating"][0] for o in orders if o["rating"]),
        "of",
        sum(o["final"] == "completed" for o in orders),
        "completed",
    )


if __name__ == "__main__":
    main()
