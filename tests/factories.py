import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import Board, StaffMembership, User
from reps.models import Rep

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    role = User.Role.REP
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rep

    board = factory.Iterator(Board.objects.all())
    user = factory.SubFactory(UserFactory, role=User.Role.REP)
    full_name = factory.LazyAttribute(lambda rep: rep.user.full_name if rep.user else "A rep")
    rep_type = Rep.RepType.CARER


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory, role=User.Role.STAFF)
    board = factory.Iterator(Board.objects.all())
    can_manage_reps = True
    can_approve_claims = True
    can_pay_claims = True
    can_lead_assessment = True


def confirmed_totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)
