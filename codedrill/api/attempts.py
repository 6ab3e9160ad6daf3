from ninja import Router

from codedrill.api.core import api

router = Router(tags=["attempts"])
api.add_router("/", router)
