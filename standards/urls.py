from standards.urls_assessments import urlpatterns as assessment_urlpatterns
from standards.urls_comparison import urlpatterns as comparison_urlpatterns

app_name = "standards"

# A board's own assessment under /self-assessment/; the national comparison and the open data
# under /comparison/ and /open-data/.
urlpatterns = assessment_urlpatterns + comparison_urlpatterns
