from codedrill.api import attempts, learning, review  # noqa: F401 - they register their routes
from codedrill.api.core import api

urlpatterns = api.urls[0]
