"""Demo practices for the library (after the coalition and account demos): a few fictitious
approaches of the Amsterdam coalition and of coalitions elsewhere, published, plus one draft
of Amsterdam's. Their texts hold no names of people."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import OrganisationType
from kansrijk.web.coalitions import menu
from kansrijk.web.coalitions.models import Coalition, Intervention
from kansrijk.web.practices import services
from kansrijk.web.practices.models import Phase, Practice, Status, Theme
from kansrijk.web.referrals.coalition import coalitions_of


@dataclass(frozen=True)
class DemoPractice:
    municipality: str  # the practice belongs to this municipality's (first) coalition
    title: str
    problem: str
    activity: str
    results: str
    phase: str
    theme: str
    intervention: str  # a menu code, or ""
    client_route: str  # a shipped route code, or ""
    indicators: tuple[str, ...]
    address: str
    published: bool = True


DEMO: tuple[DemoPractice, ...] = (
    DemoPractice(
        "GM0363",
        "Schuldhulp aan tafel bij de eerste verloskundige controle",
        "Zwangeren met geldzorgen kwamen pas laat bij schuldhulp, vaak na de geboorte.",
        "Verloskundigen vragen bij de intake naar geldzorgen en plannen met toestemming direct "
        "een gesprek met de schuldhulpverlening van het wijkteam, binnen twee weken.",
        "Meer zwangeren in een schuldhulptraject voor week 20; de wachttijd daalde van zes naar "
        "twee weken.",
        Phase.DURING,
        Theme.FINANCIAL,
        "",
        "pregnant_debts",
        ("2024-10",),
        "kansrijkestart@amsterdam.example.org",
    ),
    DemoPractice(
        "GM0363",
        "Centering-groepen in drie wijken",
        "Zwangeren in kwetsbare situaties missen vaak steun van andere aanstaande ouders.",
        "Verloskundigenpraktijken begeleiden zwangeren in groepen van acht tot twaalf, met een "
        "tolk waar dat nodig is.",
        "De opkomst bij de controles steeg; deelnemers noemen de groep een steun.",
        Phase.DURING,
        Theme.PARENTS,
        menu.CENTERING_PREGNANCY,
        "",
        ("2024-09",),
        "kansrijkestart@amsterdam.example.org",
    ),
    DemoPractice(
        "GM0363",
        "Kraamzorg voor gezinnen zonder zorgverzekering",
        "Gezinnen zonder verzekering zien af van kraamzorg.",
        "De gemeente betaalt de eigen bijdrage en de kraamzorg meldt zich bij de JGZ.",
        "",
        Phase.BIRTH,
        Theme.FINANCIAL,
        "",
        "",
        ("2024-13",),
        "kansrijkestart@amsterdam.example.org",
        published=False,
    ),
    DemoPractice(
        "GM0344",
        "Kinderwensgesprek in het wijkteam",
        "Vrouwen in kwetsbare situaties worden ongepland zwanger.",
        "Wijkteammedewerkers zijn getraind in het gesprek over kinderwens en verwijzen naar Nu "
        "Niet Zwanger van de GGD.",
        "Meer verwijzingen naar Nu Niet Zwanger uit het sociaal domein.",
        Phase.BEFORE,
        Theme.FAMILY_PLANNING,
        menu.NU_NIET_ZWANGER,
        "",
        ("2024-06",),
        "kansrijkestart@utrecht.example.org",
    ),
    DemoPractice(
        "GM0599",
        "Huisbezoeken van de JGZ na een zware bevalling",
        "Ouders met psychische klachten na de bevalling vallen buiten beeld.",
        "De JGZ legt een extra huisbezoek af in de eerste twee maanden en bespreekt het met de "
        "huisarts.",
        "Psychische klachten worden eerder gesignaleerd.",
        Phase.EARLY_YEARS,
        Theme.MENTAL_HEALTH,
        menu.PHB_JGZ,
        "",
        ("2024-11",),
        "kansrijkestart@rotterdam.example.org",
    ),
)


def load() -> list[Practice]:
    """Create the demo practices whose coalition exists (idempotent per title)."""
    today = timezone.localdate()
    made: list[Practice] = []
    for demo in DEMO:
        coalition: Coalition | None = coalitions_of(demo.municipality, today).order_by("pk").first()
        if coalition is None or Practice.objects.filter(title=demo.title).exists():
            continue
        contact = User.objects.filter(
            organisation__type=OrganisationType.MUNICIPALITY,
            organisation__municipality_code=demo.municipality,
            is_active=True,
        ).first()
        organisations = services.coalition_organisations(Coalition.objects.filter(pk=coalition.pk))
        practice = Practice.objects.create(
            coalition=coalition,
            title=demo.title,
            problem=demo.problem,
            activity=demo.activity,
            results=demo.results,
            phase=demo.phase,
            theme=demo.theme,
            intervention=Intervention.objects.filter(code=demo.intervention).first(),
            client_route=demo.client_route,
            indicators=list(demo.indicators),
            contact_user=contact,
            contact_address=demo.address,
            status=Status.PUBLISHED if demo.published else Status.DRAFT,
            published_at=timezone.now() if demo.published else None,
        )
        practice.partners.set(organisations[:4])
        made.append(practice)
    return made
