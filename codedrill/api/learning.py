from ninja import Router

from codedrill.api.core import api

router = Router(tags=["learning"])
api.add_router("/", router)
