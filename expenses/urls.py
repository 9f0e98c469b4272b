from expenses.urls_own import urlpatterns as own_urlpatterns
from expenses.urls_staff import urlpatterns as staff_urlpatterns

app_name = "expenses"

# A rep's claims live under /my/claims/, staff approval and payment under /staff/claims/.
urlpatterns = own_urlpatterns + staff_urlpatterns
