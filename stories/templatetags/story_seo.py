"""schema.org JSON-LD of a story page: an Article."""

from django import template

from discovery.seo import content_language, json_ld_script, share_image

register = template.Library()

# Google shows at most this many characters of an Article's headline.
HEADLINE_LENGTH = 110


@register.simple_tag(takes_context=True)
def story_json_ld(context):
    page = context["page"]
    request = context["request"]
    url = (context.get("source_page") or page).get_full_url(request)
    data = {
        "@type": "Article",
        "headline": page.title[:HEADLINE_LENGTH],
        "description": page.introduction,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": page.date.isoformat(),
        "inLanguage": content_language(context, page),
    }
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.isoformat()
    person = context.get("person")
    if person is not None:
        data["author"] = {"@type": "Person", "name": person.name}
        if person.role:
            data["author"]["jobTitle"] = person.role
    image = share_image(page.listing_image, request)
    if image:
        data["image"] = [image["url"]]
    return json_ld_script(data)
