from reps.urls_own import urlpatterns as own_urlpatterns
from reps.urls_staff import urlpatterns as staff_urlpatterns

app_name = "reps"

# Staff screens live under /staff/, a rep's own pages under /my/.
urlpatterns = staff_urlpatterns + own_urlpatterns
