"""Publishing: a valid content folder becomes the live version in one transaction."""

from pathlib import Path

from django.db import transaction

from codedrill.content.loader import ContentError, load_tree
from codedrill.content.markdown import render
from codedrill.content.models import ContentVersion, ModePage, Pattern


class ContentInvalid(Exception):
    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__(f"{len(errors)} content error(s)")


@transaction.atomic
def publish(root: Path) -> ContentVersion:
    """Load `root` as a new content version, or raise ContentInvalid and change nothing."""
    patterns, errors = load_tree(root)
    if errors:
        raise ContentInvalid(errors)
    version = ContentVersion.objects.create(
        source=str(root), summary=", ".join(p.slug for p in patterns)
    )
    kept = []
    for source in patterns:
        # A slug freed by a renamed or removed pattern may be taken by this one.
        Pattern.objects.filter(slug=source.slug).exclude(uuid=source.uuid).update(
            slug=f"{source.slug}-retired-{version.pk}", is_active=False
        )
        pattern, _created = Pattern.objects.update_or_create(
            uuid=source.uuid,
            defaults={
                "slug": source.slug,
                "track": source.track,
                "title": source.title,
                "framework": source.framework,
                "summary": source.summary,
                "badge": source.badge,
                "concepts": source.concepts,
                "minutes": source.minutes,
                "is_active": True,
                "version": version,
            },
        )
        pattern.pages.all().delete()
        for mode, text in source.pages.items():
            html, contents = render(text)
            ModePage.objects.create(pattern=pattern, mode=mode, html=html, contents=contents)
        kept.append(pattern.pk)
    Pattern.objects.exclude(pk__in=kept).update(is_active=False)
    return version
