from ninja import Router

from codedrill.api.core import api

router = Router(tags=["review"])
api.add_router("/", router)
