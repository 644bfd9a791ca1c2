"""The demo site, built from the real newsletter issue (demo/seed/newsletter-issue-1.txt).

Wording comes from the seed. Where a field has no source in it, the field is left
empty, or its value is marked as demo text ("Demo:") so nobody mistakes it for a
fact. The seed's events all took place in 2019 and keep their real dates. Only the
installed apps get their pages: a section, link or block about an app that is not
installed is left out (its place is kept, so every other block keeps its id).
"""

import datetime
from zoneinfo import ZoneInfo

from django.apps import apps

from demo.builder import stable_uuid

BRUSSELS = ZoneInfo("Europe/Brussels")

# The seed's issue carries no date. It reports 5 October 2019 as "more recently"
# and announces 29 November 2019, so it went out between the two: we date it
# 1 November 2019, and the stories it published with it.
ISSUE_DATE = datetime.date(2019, 11, 1)

# The countries of the seed's footnote, plus Mauritania (its own project).
COUNTRIES = [
    ("MA", "Morocco"),
    ("SN", "Senegal"),
    ("ML", "Mali"),
    ("GN", "Guinea"),
    ("BF", "Burkina Faso"),
    ("BJ", "Benin"),
    ("NE", "Niger"),
    ("UG", "Uganda"),
    ("TZ", "Tanzania"),
    ("RW", "Rwanda"),
    ("BI", "Burundi"),
    ("CD", "Democratic Republic of Congo"),
    ("MZ", "Mozambique"),
    ("PS", "Palestinian Territory"),
    ("MR", "Mauritania"),
]

COUNTRY_INTROS = {
    "RW": "<p>Like many countries in Africa, Rwanda has a large number of nationals living "
    "abroad and playing an important role in Rwanda's socio-economic development.</p>",
    "NE": "<p>In March 2019, IOM Belgium organized a mission to Niger to gain a better insight "
    "into several collective and community-based projects, such as an irrigation project in "
    "Toro.</p>",
    "MR": "<p>IOM supports members of the Mauritanian diaspora residing in the Benelux, France "
    "and Germany who want to contribute to capacity-building and skills development of public "
    "institutions in their country of origin.</p>",
}

INTRODUCTION = [
    "At the International Organization for Migration (IOM), we aim to contribute to a better "
    "understanding of the links between migration and development while building bridges between "
    "host and home societies. Based on decades of experience in this area, IOM is aware of the "
    "potential of diaspora communities for what concerns their expertise, commitment and cultural "
    "affinity with their country of origin.",
    "IOM Belgium and Luxembourg fully supports the global 3E strategic approach of enabling, "
    "engaging, empowering diaspora communities who want to maintain and improve dialogue across "
    "borders. In this framework, IOM is reinforcing diaspora related activities in Belgium and "
    "Luxembourg. To expand IOM's network and to strengthen transnational communities, several "
    "projects mainly targeting African countries* are initiated and supported. The focus of these "
    "projects is on the mobilization of skills, remittances, resources and knowledge in order to "
    "boost sustainable socio-economic development.",
    "With this newsletter, IOM Belgium and Luxembourg would like to set up a dialogue with you and "
    "create a platform for debate that will benefit all. We hope to increase awareness and "
    "opportunities by bringing together different actors interested in diaspora engagement. "
    "Additionally, IOM Belgium and Luxembourg would also use this opportunity to share its "
    "experience and knowledge gained through projects implemented globally. At the same time, this "
    "platform will be used to launch calls for cooperation for those who are interested in "
    "participating in one of IOM projects and want to have a cross-border impact.",
    "*These include Morocco, Senegal, Mali, Guinea, Burkina Faso, Benin, Niger, Uganda, Tanzania, "
    "Rwanda, Burundi, Democratic Republic of Congo, Mozambique and the Palestinian Territory.",
]


# The newsletter's Niger section, also the body of the Niger project page.
NIGER_SECTION = [
    "In March 2019, IOM Belgium organized a mission to Niger to gain a better insight "
    "into several collective and community-based projects, such as an irrigation "
    "project in Toro. During the mission, IOM Belgium also attended a Job Fair in "
    "Tahoua organized by IOM Niger, the local incubator CIPMEN and the University of "
    "Tahoua, which united thousands of visitors including diaspora members.",
    "More recently, on 5 October, IOM Belgium attended and spoke at the Rencontre des "
    "Nigériens d'Europe to explain IOM's involvement in Niger, and the relation "
    "between migration and development.",
]


def installed(label):
    return apps.is_installed(label)


def html(*paragraphs):
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def brussels(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


def build(b):
    """Build the whole English site with the DemoBuilder `b`; return the home page."""
    images = build_images(b)
    partners = build_partners(b)

    home = b.page(
        None,
        "home.HomePage",
        "home",
        title="Diaspora Engagement",
        slug="home",
        hero_heading="Enabling, engaging and empowering diaspora communities",
        hero_text=html(
            "IOM Belgium and Luxembourg builds bridges between host and home societies, "
            "with diaspora communities who want to maintain and improve dialogue across "
            "borders."
        ),
        listing_summary="News, projects, events and calls for cooperation of IOM Belgium "
        "and Luxembourg's diaspora engagement work.",
    )

    countries = build_countries(b, home)
    projects = build_projects(b, home, countries, partners, images)
    stories = build_stories(b, home, countries, projects, images) if installed("stories") else {}
    events = (
        build_events(b, home, countries, projects, partners, images) if installed("events") else {}
    )
    forms = build_forms(b, home)
    pages = build_standard_pages(b, home)
    pages["accessibility"] = build_accessibility_statement(b, home, forms["contact"])
    newsletter_index = (
        build_newsletter(b, home, projects, stories, events, forms, partners, images)
        if installed("newsletter")
        else None
    )

    # Only when the body is empty (a new site): a site built by an earlier release
    # keeps its body (tests/upgrade). Its newsletter call-out and "Subscribe" block
    # are gone: the home page leads with the latest issue and its own short form
    # (newsletter's home section), and the survey below it is a slim band.
    if not home.body:
        home.body = b.stream(
            "home/body",
            [
                (
                    "call_to_action",
                    {
                        "heading": "We need your advice!",
                        "text": "<p>How could we best serve the interests of the diaspora community? "
                        "We kindly ask you to fill in this two-minute survey.</p>",
                        "link": {"page": forms["survey"].pk, "external_url": "", "link_text": ""},
                        "button_label": "Take the two-minute survey",
                    },
                ),
            ],
        )
        home.save_revision().publish()

    build_chrome(b, home, countries, projects, stories, events, newsletter_index, forms, pages)
    build_contact_settings()
    return home


def build_images(b):
    """Wordless illustrations (demo/images.py), each with alt text saying what it shows."""
    spec = {
        "academy": ("Women Diaspora 4Dev Academy", "figures", 4, "Three figures side by side"),
        "rwanda": (
            "Diaspora for health and education in Rwanda",
            "hills",
            1,
            "Rolling hills under the sun",
        ),
        "mauritania": (
            "Diaspora engagement for the public sector in Mauritania",
            "dunes",
            3,
            "Rows of sand dunes under the sun",
        ),
        "niger": ("IOM Belgium and Niger", "bridge", 2, "An arched bridge over a river"),
        "congress": (
            "Sustainable Entrepreneurship in Africa",
            "seedling",
            0,
            "A seedling with two leaves growing from the soil",
        ),
        "exchange": (
            "Reintegration and entrepreneurship in West Africa",
            "circles",
            1,
            "Two overlapping rings",
        ),
        "info-session": (
            "Info session for the Rwandan diaspora",
            "globe",
            5,
            "A globe with lines of latitude and longitude",
        ),
        "niger-meeting": (
            "Rencontre des Nigériens d'Europe",
            "group",
            2,
            "Five figures side by side",
        ),
        "artevelde": ("A business in Africa?", "steps", 3, "Steps rising towards a sun"),
        "invest": (
            "Invest in a pilot project in Rwanda",
            "bars",
            5,
            "Bars growing taller from left to right",
        ),
        "interviews": (
            "The academy's participants in their own words",
            "speech",
            4,
            "Two speech bubbles",
        ),
        "video": ("The academy's success stories on video", "play", 0, "A large play button"),
        "newsletter": ("Diaspora Newsletter, issue 1", "envelope", 0, "An envelope"),
    }
    return {
        key: b.image(title, f"Illustration: {alt[0].lower()}{alt[1:]}", motif, colour)
        for key, (title, motif, colour, alt) in spec.items()
    }


def build_partners(b):
    spec = {
        "belgian-cooperation": (
            "Belgian Development Cooperation",
            "Belgium, partner in development",
        ),
        "ondernemers": ("Ondernemers voor Ondernemers", ""),
        "artevelde": ("Artevelde University", ""),
        "fedasil": ("Fedasil", ""),
        "caw-antwerpen": ("CAW Antwerpen", ""),
        "iom-belgium": ("IOM Belgium and Luxembourg", ""),
        "iom-niger": ("IOM Niger", ""),
        "iom-rwanda": ("IOM Rwanda", ""),
        "iom-germany": ("IOM Germany", ""),
        "cipmen": ("CIPMEN", "Local incubator in Niger"),
        "university-tahoua": ("University of Tahoua", ""),
    }
    return {
        key: b.snippet("home.Partner", key, name=name, description=description)
        for key, (name, description) in spec.items()
    }


def build_countries(b, home):
    index = b.page(
        home,
        "home.CountryIndexPage",
        "countries",
        title="Countries",
        slug="countries",
        introduction=html(
            "Several IOM projects mainly targeting African countries are initiated and supported "
            "to expand IOM's network and to strengthen transnational communities. These are the "
            "countries of origin our diaspora work focuses on."
        ),
        listing_summary="The countries of origin IOM Belgium and Luxembourg's diaspora "
        "projects work with.",
    )
    return {
        code: b.page(
            index,
            "home.CountryPage",
            f"countries/{code.lower()}",
            title=name,
            slug=name.lower().replace(" ", "-"),
            country=code,
            introduction=COUNTRY_INTROS.get(code, ""),
        )
        for code, name in COUNTRIES
    }


def build_projects(b, home, countries, partners, images):
    index = b.page(
        home,
        "home.ProjectIndexPage",
        "projects",
        title="Projects",
        slug="projects",
        introduction=html(
            "The focus of these projects is on the mobilization of skills, remittances, resources "
            "and knowledge in order to boost sustainable socio-economic development."
        ),
        listing_summary="Projects that mobilise the skills, resources and knowledge of "
        "diaspora communities.",
    )
    funder = [partners["belgian-cooperation"]]
    academy = b.page(
        index,
        "home.ProjectPage",
        "projects/women-diaspora-4dev-academy",
        title="Women Diaspora 4Dev Academy",
        slug="women-diaspora-4dev-academy",
        introduction="Empowering Female Diaspora Associations to Strengthen their Role in the "
        "Development of Countries of Origin.",
        listing_image=images["academy"],
        listing_image_alt=images["academy"].description,
        listing_summary="A tailored capacity-building program for eleven African diaspora "
        "women's associations in Belgium.",
        key_figures=b.stream(
            "projects/academy/figures",
            [
                (
                    "figure",
                    {
                        "figure": "11",
                        "label": "African diaspora women's associations "
                        "residing in Belgium selected",
                    },
                ),
            ],
        ),
        body=b.stream(
            "projects/academy/body",
            [
                (
                    "paragraph",
                    html(
                        "In the spirit of IOM's 3E Strategy for Diaspora and with the financial support "
                        "of the Belgian Development Cooperation, IOM Belgium contributed to a project on "
                        "Empowering Female Diaspora Associations to Strengthen their Role in the "
                        "Development of Countries of Origin.",
                        "Although IOM Country Office in Belgium has been involved in other diaspora "
                        "projects, a gender-specific approach towards diaspora was rather innovative. "
                        "Eleven African diaspora women's associations residing in Belgium were selected "
                        "to participate in a tailored capacity-building program. The training modules "
                        "supported the women in increasing the visibility of their associations, as well "
                        "as strengthening their role and capacities as effective agents in projects "
                        "supporting the development of their countries of origin.",
                    ),
                ),
            ],
        ),
        relations={"funders": funder},
    )
    rwanda = b.page(
        index,
        "home.ProjectPage",
        "projects/rwanda-health-education",
        title="Diaspora in Belgium and Germany to support health and education sectors in Rwanda",
        slug="rwanda-health-and-education",
        introduction="Linking Rwandan diaspora members in Belgium and Germany to their home "
        "country, to strengthen the Rwandese education and health sectors.",
        listing_image=images["rwanda"],
        listing_image_alt=images["rwanda"].description,
        listing_summary="30 skilled diaspora members transfer their skills; ten innovative "
        "pilot projects.",
        key_figures=b.stream(
            "projects/rwanda/figures",
            [
                (
                    "figure",
                    {
                        "figure": "30",
                        "label": "skilled diaspora members relocated "
                        "temporarily to transfer their skills",
                    },
                ),
                ("figure", {"figure": "10", "label": "innovative pilot projects"}),
            ],
        ),
        body=b.stream(
            "projects/rwanda/body",
            [
                (
                    "paragraph",
                    html(
                        "Like many countries in Africa, Rwanda has a large number of nationals living "
                        "abroad and playing an important role in Rwanda's socio-economic development. "
                        "Together with IOM Rwanda, IOM Germany and IOM Belgium and Luxembourg are "
                        "coordinating various activities linking Rwandan diaspora members in Belgium and "
                        "Germany to their home country.",
                        "By supporting the temporary relocation of 30 skilled diaspora members that will "
                        "transfer their skills during their stay through training sessions, IOM aims to "
                        "strengthen the Rwandese education and health sectors. The ultimate aim is to "
                        "create ten innovative pilot projects by establishing synergies between the "
                        "diaspora and the Rwandese trained professionals.",
                    ),
                ),
            ],
        ),
        relations={
            "countries": [countries["RW"]],
            "funders": funder,
            "partners": [partners["iom-rwanda"], partners["iom-germany"]],
        },
    )
    mauritania = b.page(
        index,
        "home.ProjectPage",
        "projects/mauritania-circular-migration",
        title="Support to Circular and Temporary Migration of the Mauritanian Diaspora",
        slug="mauritania-circular-and-temporary-migration",
        introduction="Diaspora engagement to support the public sector in Mauritania: qualified "
        "diaspora members move temporarily to support capacity-building and skills development "
        "of public institutions in their country of origin.",
        listing_image=images["mauritania"],
        listing_image_alt=images["mauritania"].description,
        listing_summary="20 places for qualified diaspora members; 37 candidates from Belgium, "
        "Germany and France.",
        start_date=None,
        key_figures=b.stream(
            "projects/mauritania/figures",
            [
                (
                    "figure",
                    {"figure": "20", "label": "qualified diaspora members to move temporarily"},
                ),
                (
                    "figure",
                    {
                        "figure": "37",
                        "label": "diaspora experts from Belgium, Germany and "
                        "France interested as candidates",
                    },
                ),
            ],
        ),
        body=b.stream(
            "projects/mauritania/body",
            [
                (
                    "paragraph",
                    html(
                        "In June 2019, IOM organized meetings in Brussels, Frankfurt and Paris for the "
                        "members of the Mauritanian diaspora residing in the Benelux, France and Germany, "
                        "within the framework of the project “Support to Circular and Temporary "
                        "Migration of the Mauritanian Diaspora”.",
                        "The initiative aims to temporarily move 20 qualified diaspora members to support "
                        "of capacity-building and skills development of public institutions in their "
                        "country of origin. After the event, 37 diaspora experts coming from Belgium, "
                        "Germany and France expressed their interest as potential candidates. In the "
                        "coming months, IOM will follow up on the activities of selected Mauritanian "
                        "diaspora members.",
                    ),
                ),
            ],
        ),
        relations={"countries": [countries["MR"]], "funders": funder},
    )
    niger = b.page(
        index,
        "home.ProjectPage",
        "projects/niger-mission",
        title="IOM Belgium and Niger",
        slug="iom-belgium-and-niger",
        introduction="A mission to Niger to gain a better insight into collective and "
        "community-based projects, and a job fair that united thousands of visitors.",
        listing_image=images["niger"],
        listing_image_alt=images["niger"].description,
        listing_summary="A mission to community-based projects and the Tahoua job fair.",
        body=b.stream(
            "projects/niger/body",
            [
                (
                    "paragraph",
                    html(*NIGER_SECTION),
                ),
            ],
        ),
        relations={
            "countries": [countries["NE"]],
            "funders": funder,
            "partners": [partners["iom-niger"], partners["cipmen"], partners["university-tahoua"]],
        },
    )
    return {
        "index": index,
        "academy": academy,
        "rwanda": rwanda,
        "mauritania": mauritania,
        "niger": niger,
    }


def build_stories(b, home, countries, projects, images):
    index = b.page(
        home,
        "stories.StoryIndexPage",
        "stories",
        title="Success stories",
        slug="stories",
        introduction="Interviews, videos and articles about diaspora members and the projects "
        "they take part in.",
        listing_summary="Interviews, videos and articles from diaspora projects.",
    )
    person = b.snippet(
        "stories.Person",
        "academy-participant",
        name="Demo: a participant of the academy",
        role="Member of an African diaspora women's association in Belgium (demo text)",
    )
    interviews = b.page(
        index,
        "stories.StoryPage",
        "stories/academy-interviews",
        title="The Women Diaspora 4Dev Academy's participants explain what they have been doing",
        slug="women-diaspora-4dev-academy-interviews",
        kind="interview",
        date=ISSUE_DATE,
        introduction="Eleven African diaspora women's associations residing in Belgium took part "
        "in a tailored capacity-building program. In these interviews, the participants explain "
        "what they have been doing.",
        listing_image=images["interviews"],
        listing_image_alt=images["interviews"].description,
        project=projects["academy"],
        person=person,
        body=b.stream(
            "stories/academy-interviews/body",
            [
                (
                    "paragraph",
                    html(
                        "The training modules supported the women in increasing the visibility of their "
                        "associations, as well as strengthening their role and capacities as effective "
                        "agents in projects supporting the development of their countries of origin."
                    ),
                ),
                (
                    "notice",
                    {
                        "heading": "Demo content",
                        "text": "<p>The newsletter links to the interviews but does not reproduce them. "
                        "The question and answer below are demo text showing how an interview is "
                        "laid out.</p>",
                    },
                ),
                (
                    "question_answer",
                    {
                        "question": "What has your association been doing since the academy?",
                        "speaker": "Demo: a participant of the academy",
                        "answer": "<p>Demo text: the participant's own answer goes here.</p>",
                    },
                ),
            ],
        ),
    )
    video = b.page(
        index,
        "stories.StoryPage",
        "stories/academy-video",
        title="A short video highlighting the Women Diaspora 4Dev Academy's success stories",
        slug="women-diaspora-4dev-academy-video",
        kind="video",
        date=ISSUE_DATE,
        introduction="Take a look at this short video highlighting the project's success stories!",
        listing_image=images["video"],
        listing_image_alt=images["video"].description,
        project=projects["academy"],
        body=b.stream(
            "stories/academy-video/body",
            [
                (
                    "video",
                    {
                        # Demo: the seed links to the video without giving its address.
                        "url": "https://www.youtube.com/watch?v=DEMO0video0",
                        "title": "Women Diaspora 4Dev Academy: success stories (demo link)",
                        "poster": images["video"].pk,
                        "poster_alt": images["video"].description,
                        "duration": "",
                        "transcript": "<p>Demo text: the transcript of the video goes here.</p>",
                    },
                ),
            ],
        ),
    )
    niger = b.page(
        index,
        "stories.StoryPage",
        "stories/niger-mission",
        title="A mission to Niger and a job fair in Tahoua",
        slug="mission-to-niger-and-tahoua-job-fair",
        kind="article",
        date=ISSUE_DATE,
        introduction="In March 2019, IOM Belgium visited collective and community-based projects "
        "in Niger and attended a job fair that united thousands of visitors.",
        listing_image=images["niger"],
        listing_image_alt=images["niger"].description,
        country=countries["NE"],
        project=projects["niger"],
        body=b.stream(
            "stories/niger-mission/body",
            [
                (
                    "paragraph",
                    html(
                        "In March 2019, IOM Belgium organized a mission to Niger to gain a better insight "
                        "into several collective and community-based projects, such as an irrigation "
                        "project in Toro.",
                        "During the mission, IOM Belgium also attended a Job Fair in Tahoua organized by "
                        "IOM Niger, the local incubator CIPMEN and the University of Tahoua, which united "
                        "thousands of visitors including diaspora members.",
                    ),
                ),
            ],
        ),
    )
    return {"index": index, "interviews": interviews, "video": video, "niger": niger}


def build_events(b, home, countries, projects, partners, images):
    index = b.page(
        home,
        "events.EventIndexPage",
        "events",
        title="Events and calls",
        slug="events",
        introduction=html(
            "Diaspora events and calls for cooperation in Belgium and Luxembourg, and beyond."
        ),
        listing_summary="Diaspora events and calls for cooperation.",
    )
    congress = b.page(
        index,
        "events.EventPage",
        "events/congress-sustainable-entrepreneurship",
        title="Congress on Sustainable Entrepreneurship in Africa",
        slug="congress-sustainable-entrepreneurship-in-africa",
        introduction="Ondernemers voor Ondernemers organizes a congress on Sustainable "
        "Entrepreneurship in Africa in Brussels.",
        start=brussels(2019, 11, 29),
        all_day=True,
        city="Brussels",
        listing_image=images["congress"],
        listing_image_alt=images["congress"].description,
        registration_note="<p>There is a discount for diaspora members, but first come, first "
        "served!</p>",
        relations={"organisers": [partners["ondernemers"]]},
    )
    exchange = b.page(
        index,
        "events.EventPage",
        "events/exchange-reintegration-entrepreneurship",
        title="Exchange on reintegration and entrepreneurship opportunities in West Africa",
        slug="exchange-reintegration-and-entrepreneurship",
        introduction="IOM, Fedasil and CAW Antwerpen invite migrants and diaspora members for an "
        "exchange on reintegration and entrepreneurship opportunities in West Africa.",
        start=brussels(2019, 12, 14),
        all_day=True,
        listing_image=images["exchange"],
        listing_image_alt=images["exchange"].description,
        relations={
            "organisers": [partners["iom-belgium"], partners["fedasil"], partners["caw-antwerpen"]]
        },
    )
    info_session = b.page(
        index,
        "events.EventPage",
        "events/rwanda-info-session",
        title="Info session for the Rwandan diaspora in Brussels",
        slug="rwanda-diaspora-info-session",
        introduction="Interested Rwandan diaspora members are encouraged to register for the "
        "upcoming info session in Brussels on the project supporting the health and education "
        "sectors in Rwanda.",
        date_to_be_announced=True,
        city="Brussels",
        listing_image=images["info-session"],
        listing_image_alt=images["info-session"].description,
        project=projects["rwanda"],
        registration_mode="on_site",
        capacity=50,
        waitlist=True,
        registration_note="<p>The date is to be determined: register your interest and we will "
        "let you know. Demo: the number of places (50) is demo content; the newsletter does not "
        "state it.</p>",
        relations={"countries": [countries["RW"]], "organisers": [partners["iom-belgium"]]},
    )
    niger_meeting = b.page(
        index,
        "events.EventPage",
        "events/rencontre-nigeriens-europe",
        title="Rencontre des Nigériens d'Europe",
        slug="rencontre-des-nigeriens-d-europe",
        introduction="IOM Belgium attended and spoke at the Rencontre des Nigériens d'Europe to "
        "explain IOM's involvement in Niger, and the relation between migration and "
        "development.",
        start=brussels(2019, 10, 5),
        all_day=True,
        listing_image=images["niger-meeting"],
        listing_image_alt=images["niger-meeting"].description,
        project=projects["niger"],
        relations={"countries": [countries["NE"]]},
    )
    artevelde = b.page(
        index,
        "events.CallPage",
        "events/artevelde-business-in-africa",
        title="Have you started a business in Africa? Artevelde University would like to talk "
        "to you",
        slug="artevelde-university-business-in-africa",
        introduction="Have you started a business in Africa or are you thinking of doing so? "
        "Artevelde University would like to talk to you.",
        eligibility="<p>Diaspora members who have started a business in Africa or are thinking "
        "of doing so.</p>",
        how_to_apply="<p>Send Artevelde University an email.</p>",
        listing_image=images["artevelde"],
        listing_image_alt=images["artevelde"].description,
        relations={"organisers": [partners["artevelde"]]},
    )
    invest = b.page(
        index,
        "events.CallPage",
        "events/invest-rwanda-pilot-projects",
        title="Invest in one of the pilot projects in Rwanda",
        slug="invest-in-a-rwanda-pilot-project",
        introduction="Interested in investing in one of the ten innovative pilot projects of the "
        "Rwandan diaspora project? Contact IOM Belgium.",
        eligibility="<p>Anyone interested in investing in one of the pilot projects.</p>",
        how_to_apply="<p>Contact IOM Belgium.</p>",
        contact_email="avandevelde@iom.int",
        listing_image=images["invest"],
        listing_image_alt=images["invest"].description,
        project=projects["rwanda"],
        relations={"countries": [countries["RW"]], "organisers": [partners["iom-belgium"]]},
        # Demo: the newsletter asks people to write; this form is the site's example.
        children={"form_fields": call_form_fields()},
    )
    return {
        "index": index,
        "congress": congress,
        "exchange": exchange,
        "info_session": info_session,
        "niger_meeting": niger_meeting,
        "artevelde": artevelde,
        "invest": invest,
    }


def call_form_fields():
    """A small application form (the contact form's questions) for a demo call."""
    CallFormField = apps.get_model("events", "CallFormField")
    return [
        (CallFormField, {"label": label, "clean_name": name, "field_type": kind, "required": True})
        for label, name, kind in [
            ("Your name", "name", "singleline"),
            ("Your email address", "email", "email"),
            ("Your message", "message", "multiline"),
        ]
    ]


def build_forms(b, home):
    FormField = apps.get_model("home", "FormField")
    country_choices = "\n".join(name for _, name in COUNTRIES) + "\nOther"
    topics = "Events and meetings\nCalls for cooperation\nInvesting in projects\nTransferring skills\nEntrepreneurship"
    survey = b.page(
        home,
        "home.FormPage",
        "survey",
        title="Two-minute survey",
        slug="survey",
        introduction=html(
            "How could we best serve the interests of the diaspora community? We kindly ask you "
            "to fill in this two-minute survey. Thank you!",
            "Demo: the newsletter does not list the survey's questions; these are examples.",
        ),
        thank_you_text="<p>Thank you! Your answers help us serve the diaspora community "
        "better.</p>",
        listing_summary="How could we best serve the interests of the diaspora community?",
        children={
            "form_fields": [
                (
                    FormField,
                    {
                        "label": "Which country of origin are you connected to?",
                        "clean_name": "country",
                        "field_type": "dropdown",
                        "choices": country_choices,
                        "choice_labels": country_choices,
                        "required": False,
                    },
                ),
                (
                    FormField,
                    {
                        "label": "What would you like to hear about?",
                        "clean_name": "topics",
                        "field_type": "checkboxes",
                        "choices": topics,
                        "choice_labels": topics,
                        "required": False,
                    },
                ),
                (
                    FormField,
                    {
                        "label": "How could we best serve the interests of the diaspora community?",
                        "clean_name": "advice",
                        "field_type": "multiline",
                        "required": True,
                    },
                ),
            ]
        },
    )
    contact = b.page(
        home,
        "home.FormPage",
        "contact",
        title="Contact",
        slug="contact",
        introduction=html(
            "Questions about our diaspora projects, or an event you would like us "
            "to feature in the next newsletter? Write to us."
        ),
        thank_you_text="<p>Thank you for your message. We will answer as soon as we can.</p>",
        listing_summary="Write to IOM Belgium and Luxembourg.",
        children={
            "form_fields": [
                (
                    FormField,
                    {
                        "label": "Your name",
                        "clean_name": "name",
                        "field_type": "singleline",
                        "required": True,
                    },
                ),
                (
                    FormField,
                    {
                        "label": "Your email address",
                        "clean_name": "email",
                        "field_type": "email",
                        "required": True,
                    },
                ),
                (
                    FormField,
                    {
                        "label": "Your message",
                        "clean_name": "message",
                        "field_type": "multiline",
                        "required": True,
                    },
                ),
            ]
        },
    )
    return {"survey": survey, "contact": contact}


def build_standard_pages(b, home):
    about = b.page(
        home,
        "home.StandardPage",
        "about",
        title="About",
        slug="about",
        introduction="IOM Belgium and Luxembourg and its work with diaspora communities.",
        body=b.stream("about/body", [("paragraph", html(*INTRODUCTION))]),
    )
    privacy = b.page(
        home,
        "home.StandardPage",
        "privacy",
        title="Privacy",
        slug="privacy",
        introduction="Demo text: a privacy notice to be written by the office.",
        body=b.stream(
            "privacy/body",
            [
                (
                    "paragraph",
                    html(
                        "Demo text: this page will explain which personal data the site keeps (newsletter "
                        "subscriptions, event registrations, form answers), why, for how long, and how to "
                        "ask for a copy or for its deletion.",
                    ),
                ),
                # Stated from the settings (privacy.periods), in each language.
                ("retention_periods", {"heading": "How long we keep personal data", "text": ""}),
            ],
        ),
    )
    return {"about": about, "privacy": privacy}


def build_accessibility_statement(b, home, contact):
    """The accessibility statement, linked from the footer (added to the footer of a
    demo built before it by add_footer_link)."""

    def heading(text):
        return ("heading", {"text": text})

    return b.page(
        home,
        "home.StandardPage",
        "accessibility",
        title="Accessibility",
        slug="accessibility",
        introduction="How accessible this site is, how we check it, and how to tell us "
        "about a problem.",
        body=b.stream(
            "accessibility/body",
            [
                heading("Our target"),
                (
                    "paragraph",
                    html(
                        "We want everyone to be able to use this site, including people who use "
                        "a screen reader, only a keyboard, a magnifier or a small phone. Our "
                        "target is the Web Content Accessibility Guidelines (WCAG) 2.1 at level "
                        "AA, the level the European standard EN 301 549 refers to."
                    ),
                ),
                heading("How we check it"),
                (
                    "paragraph",
                    html(
                        "Automated tests check every type of page in English, French and Dutch, "
                        "on a phone-sized and a desktop-sized screen, with the axe-core checker: "
                        "they must find no WCAG 2.1 level A or AA violation. Other tests use the "
                        "site with the keyboard alone and with reduced motion switched on, and "
                        "check that every page fits the screen without scrolling sideways.",
                        "Pages work without JavaScript. Where there is a script (playing a "
                        "video, copying a link) it only adds to what the page already offers.",
                    ),
                ),
                heading("Known limits"),
                (
                    "paragraph",
                    html(
                        "Automated checks find only some problems. People with disabilities and "
                        "an independent expert have not yet audited this site, so we do not "
                        "claim full conformance.",
                        "Videos play in YouTube's or Vimeo's player, which we do not control, "
                        "and not every video has captions or a transcript yet. A page not yet "
                        "translated shows its English text, marked as English for screen readers.",
                    ),
                ),
                (
                    "call_to_action",
                    {
                        "heading": "Report a problem",
                        "text": "<p>If something on this site is hard or impossible for you to "
                        "use, tell us which page and what happened. We will answer within ten "
                        "working days and, where we can, give you the information another "
                        "way.</p>",
                        "link": {"page": contact.pk, "external_url": "", "link_text": ""},
                        "button_label": "Write to us",
                    },
                ),
                (
                    "paragraph",
                    html(
                        "This statement was written in December 2026 and is reviewed with each "
                        "new version of the site."
                    ),
                ),
            ],
        ),
    )


def add_footer_link(footer, owner, position, page):
    """Add a link to `page` to a footer built by an earlier demo, untouched since
    (its links are exactly the demo's first `position`): an editor's footer is left
    alone. Returns whether it changed."""
    ids = [block.id for block in footer.links]
    expected = [str(b) for b in (stable_uuid(f"{owner}#{n}") for n in range(position))]
    if ids != expected:
        return False
    raw = list(footer.links.raw_data)
    raw.append(
        {
            "type": "link",
            "value": {"page": page.pk, "external_url": "", "link_text": ""},
            "id": str(stable_uuid(f"{owner}#{position}")),
        }
    )
    footer.links = raw
    footer.save()
    return True


def build_newsletter(b, home, projects, stories, events, forms, partners, images):
    index = b.page(
        home,
        "newsletter.NewsletterIndexPage",
        "newsletter",
        title="Newsletter",
        slug="newsletter",
        introduction=html(
            "With this newsletter, IOM Belgium and Luxembourg would like to set up a dialogue "
            "with you and create a platform for debate that will benefit all."
        ),
        listing_summary="Every issue of the diaspora newsletter.",
    )

    def page_link(page, text=""):
        """A link to `page`, or None (left out) when its app is not installed."""
        return {"page": page.pk, "external_url": "", "link_text": text} if page else None

    body = b.stream(
        "newsletter/1/body",
        [
            (
                "call_to_action",
                {
                    "heading": "Note",
                    "text": "<p>You have received this newsletter because you have been in contact with "
                    "IOM (staff) through participation in events or meetings. Do you find this "
                    "newsletter interesting and want to receive the next one?</p>",
                    "link": page_link(index),
                    "button_label": "Subscribe",
                },
            ),
            (
                "call_to_action",
                {
                    "heading": "We need your advice!",
                    "text": "<p>How could we best serve the interests of the diaspora community? We "
                    "kindly ask you to fill in this two-minute survey. Thank you!</p>",
                    "link": page_link(forms["survey"]),
                    "button_label": "Fill in the two-minute survey",
                },
            ),
            (
                "events_and_calls",
                {
                    "heading": "Diaspora events & calls",
                    "items": b.list_items(
                        "newsletter/1/events",
                        [
                            {
                                "page": events["congress"].pk,
                                "text": "<p>On 29 November, Ondernemers voor "
                                "Ondernemers organizes a congress on <b>Sustainable Entrepreneurship in "
                                "Africa</b> in Brussels. There is a discount for diaspora members, but first "
                                "come, first served!</p>",
                            },
                            {
                                "page": events["artevelde"].pk,
                                "text": "<p>Have you started a <b>business in "
                                "Africa</b> or are you thinking of doing so? Artevelde University would like to "
                                "talk to you.</p>",
                            },
                            {
                                "page": events["exchange"].pk,
                                "text": "<p>On 14 December, IOM, Fedasil and CAW "
                                "Antwerpen invite migrants and diaspora members for an <b>exchange on "
                                "reintegration and entrepreneurship</b> opportunities in West Africa.</p>",
                            },
                        ],
                    ),
                    "closing_text": "<p>Are you organizing an event in the coming months on diaspora "
                    "engagement? Feel free to send it to IOM Belgium and we will feature it in our next "
                    "newsletter!</p>",
                },
            )
            if events
            else None,
            (
                "external_initiative",
                {
                    "heading": "Global diaspora initiative",
                    "text": html(
                        "To follow up on and get involved in other diaspora projects ran by IOM outside of "
                        "Belgium, you can visit the global iDIASPORA platform. After becoming a member for "
                        "free, you can benefit from a growing network, read the latest news articles, and "
                        "expand your knowledge with learning materials and best practices.",
                        "Additionally, you can share your questions, opinions and recommendations online, "
                        "stay informed about upcoming events and explore new partnerships and "
                        "opportunities.",
                    ),
                    "link": {
                        "page": None,
                        "external_url": "https://www.idiaspora.org/",
                        "link_text": "Visit the iDIASPORA platform",
                    },
                },
            ),
            (
                "spotlight",
                {
                    "heading": "Women Diaspora 4Dev Academy",
                    "page": projects["academy"].pk,
                    "image": images["academy"].pk,
                    "image_alt": images["academy"].description,
                    "text": html(
                        "In the spirit of IOM's 3E Strategy for Diaspora and with the financial support "
                        "of the Belgian Development Cooperation, IOM Belgium contributed to a project on "
                        "Empowering Female Diaspora Associations to Strengthen their Role in the "
                        "Development of Countries of Origin.",
                        "Although IOM Country Office in Belgium has been involved in other diaspora "
                        "projects, a gender-specific approach towards diaspora was rather innovative. "
                        "Eleven African diaspora women's associations residing in Belgium were selected "
                        "to participate in a tailored capacity-building program. In these interviews, the "
                        "participants explain what they have been doing. You can also take a look at this "
                        "short video highlighting the project's success stories!",
                    ),
                    "links": b.list_items(
                        "newsletter/1/academy-links",
                        [
                            page_link(stories.get("interviews"), "Read the interviews"),
                            page_link(stories.get("video"), "Watch the video"),
                        ],
                    ),
                },
            ),
            (
                "spotlight",
                {
                    "heading": "IOM Belgium and Niger",
                    "page": projects["niger"].pk,
                    "image": None,
                    "text": html(*NIGER_SECTION),
                    "links": b.list_items(
                        "newsletter/1/niger-links",
                        [
                            page_link(
                                events.get("niger_meeting"), "Rencontre des Nigériens d'Europe"
                            ),
                        ],
                    ),
                },
            ),
            (
                "partner_logos",
                {
                    "heading": "IOM projects mentioned in this newsletter were realized thanks to the "
                    "support of:",
                    "partners": b.list_items(
                        "newsletter/1/funders", [partners["belgian-cooperation"].pk]
                    ),
                },
            ),
            (
                "spotlight",
                {
                    "heading": "Diaspora in Belgium and Germany to support health and education sectors "
                    "in Rwanda",
                    "page": projects["rwanda"].pk,
                    "image": images["rwanda"].pk,
                    "image_alt": images["rwanda"].description,
                    "text": html(
                        "Like many countries in Africa, Rwanda has a large number of nationals living "
                        "abroad and playing an important role in Rwanda's socio-economic development. "
                        "Together with IOM Rwanda, IOM Germany and IOM Belgium and Luxembourg are "
                        "coordinating various activities linking Rwandan diaspora members in Belgium and "
                        "Germany to their home country. By supporting the temporary relocation of 30 "
                        "skilled diaspora members that will transfer their skills during their stay "
                        "through training sessions, IOM aims to strengthen the Rwandese education and "
                        "health sectors. The ultimate aim is to create ten innovative pilot projects by "
                        "establishing synergies between the diaspora and the Rwandese trained "
                        "professionals.",
                        "Interested Rwandan diaspora members are encouraged to register for the upcoming "
                        "info session in Brussels (date to be determined!). Interested in investing in "
                        "one of the pilot projects? Contact IOM Belgium.",
                    ),
                    "links": b.list_items(
                        "newsletter/1/rwanda-links",
                        [
                            page_link(events.get("info_session"), "Register for the info session"),
                            page_link(events.get("invest"), "Invest in a pilot project"),
                        ],
                    ),
                },
            ),
            (
                "spotlight",
                {
                    "heading": "Diaspora Engagement to support the public sector in Mauritania",
                    "page": projects["mauritania"].pk,
                    "image": images["mauritania"].pk,
                    "image_alt": images["mauritania"].description,
                    "text": html(
                        "In June 2019, IOM organized meetings in Brussels, Frankfurt and Paris for the "
                        "members of the Mauritanian diaspora residing in the Benelux, France and Germany, "
                        "within the framework of the project “Support to Circular and Temporary Migration "
                        "of the Mauritanian Diaspora”. The initiative aims to temporarily move 20 "
                        "qualified diaspora members to support of capacity-building and skills "
                        "development of public institutions in their country of origin.",
                        "After the event, 37 diaspora experts coming from Belgium, Germany and France "
                        "expressed their interest as potential candidates. In the coming months, IOM will "
                        "follow up on the activities of selected Mauritanian diaspora members.",
                    ),
                    "links": [],
                },
            ),
            (
                "contact",
                {
                    "heading": "For more information",
                    "text": "",
                },
            ),
        ],
    )
    b.page(
        index,
        "newsletter.NewsletterIssuePage",
        "newsletter/1",
        title="Diaspora Newsletter, issue 1",
        slug="issue-1",
        number=1,
        issue_date=ISSUE_DATE,
        introduction=html(*INTRODUCTION),
        listing_image=images["newsletter"],
        listing_image_alt=images["newsletter"].description,
        listing_summary="Events and calls, the Women Diaspora 4Dev Academy, IOM Belgium and "
        "Niger, and diaspora projects for Rwanda and Mauritania.",
        body=body,
    )
    return index


def build_chrome(b, home, countries, projects, stories, events, newsletter_index, forms, pages):
    def link(page):
        """A link block to `page`, or None (left out) when its app is not installed."""
        return ("link", {"page": page.pk, "external_url": "", "link_text": ""}) if page else None

    country_index = next(iter(countries.values())).get_parent()
    b.snippet(
        "home.MainMenu",
        "main",
        items=b.stream(
            "menu/main",
            [
                link(country_index),
                link(projects["index"]),
                link(stories.get("index")),
                link(events.get("index")),
                link(newsletter_index),
                link(pages["about"]),
            ],
        ),
    )
    footer = b.snippet(
        "home.Footer",
        "main",
        organisation_name="IOM Belgium and Luxembourg",
        text="<p>Building bridges between host and home societies with diaspora communities.</p>",
        address="40, Rue Montoyer\n1000 Brussels\nBelgium",
        links=b.stream(
            "footer/links",
            [
                link(pages["about"]),
                link(forms["contact"]),
                link(forms["survey"]),
                link(pages["privacy"]),
                link(pages["accessibility"]),
            ],
        ),
    )
    if add_footer_link(footer, "footer/links", 4, pages["accessibility"]):
        b.created["footer links"] += 1


def build_contact_settings():
    ContactSettings = apps.get_model("home", "ContactSettings")
    settings = ContactSettings.load()
    if settings.email:
        return
    settings.phone = "+32 2 287 74 35"
    settings.email = "avandevelde@iom.int"
    settings.website = "http://www.belgium.iom.int/"
    settings.save()
