"""Launched people as codedrill learners, and the course items they launch."""

import hashlib

from django.db import transaction

from codedrill.accounts.models import User
from codedrill.content.models import Pattern
from codedrill.lti.models import PLACEABLE_MODES, Grade, Identity, Placement, Platform

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"


def platform_of(launch_data: dict) -> Platform:
    aud = launch_data["aud"]
    client_id = aud[0] if isinstance(aud, list) else aud
    return Platform.objects.get(issuer=launch_data["iss"], client_id=client_id)


def learner_for(platform: Platform, launch_data: dict) -> Identity:
    """The codedrill learner this launch's person is, made on their first launch. Linked by
    (platform, deployment, subject) only: names and emails from the platform are shown, never
    trusted to match an existing account."""
    deployment_id = launch_data[CLAIM + "deployment_id"]
    subject = launch_data["sub"]
    with transaction.atomic():
        identity = (
            Identity.objects.select_related("learner")
            .filter(platform=platform, deployment_id=deployment_id, subject=subject)
            .first()
        )
        if identity is None:
            digest = hashlib.sha256(f"{platform.pk}/{deployment_id}/{subject}".encode())
            learner = User(username=f"lti-{digest.hexdigest()[:16]}")
            learner.set_unusable_password()  # they sign in through their LMS only
            identity = Identity(
                platform=platform, deployment_id=deployment_id, subject=subject, learner=learner
            )
        learner = identity.learner
        # Platforms send given and family names, or only the whole name.
        learner.first_name = launch_data.get("given_name", launch_data.get("name", ""))[:150]
        learner.last_name = launch_data.get("family_name", "")[:150]
        learner.email = launch_data.get("email", "")[:254]
        learner.save()
        identity.learner = learner
        identity.save()
    return identity


class NotPlaced(Exception):
    """The launch names no pattern and mode codedrill can show."""


def placement_for(platform: Platform, launch_data: dict) -> Placement:
    """The course item launched, from the custom parameters Deep Linking gave it; its line
    item is kept up to date from each launch's grade services claim."""
    custom = launch_data.get(CLAIM + "custom") or {}
    mode = custom.get("mode")
    pattern = Pattern.objects.live().filter(slug=custom.get("pattern")).first()
    if pattern is None or mode not in PLACEABLE_MODES:
        raise NotPlaced("This course item names no codedrill pattern and mode.")
    context = launch_data.get(CLAIM + "context") or {}
    placement, _ = Placement.objects.update_or_create(
        platform=platform,
        deployment_id=launch_data[CLAIM + "deployment_id"],
        resource_link_id=launch_data[CLAIM + "resource_link"]["id"],
        defaults={
            "context_id": context.get("id", ""),
            "context_title": context.get("title", "")[:255],
            "pattern": pattern,
            "mode": mode,
            "ags": launch_data.get(AGS_CLAIM),
        },
    )
    return placement


def seat(placement: Placement, identity: Identity) -> Grade:
    """The learner's row on the item: its results go to the item's gradebook column."""
    return Grade.objects.get_or_create(placement=placement, identity=identity)[0]
