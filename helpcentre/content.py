"""The help centre's content, version 1: FAQ categories and their questions and answers, written
for mpro in English, French, Danish and German. The facts come from the seed FAQ and dealer deck;
the wording is our own. Support is reached through this help centre and the customer's dealer:
no phone number or e-mail address of any real company appears here.

Loaded by the data migration helpcentre.0003_load_content (and by tests) through `load()`, which
only adds what is missing, so it never overwrites what staff have edited in the admin.

Answers use the markup of helpcentre/markup.py: links to portal pages are written
[label](page:url-name), links to other answers [label](article:category/slug).
"""

from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGES = ("en", "fr", "da", "de")


def t(en: str, fr: str, da: str, de: str) -> dict[str, str]:
    return {"en": en, "fr": fr, "da": da, "de": de}


@dataclass(frozen=True)
class ArticleContent:
    slug: str
    question: dict[str, str]
    answer: dict[str, str]


@dataclass(frozen=True)
class CategoryContent:
    slug: str
    title: dict[str, str]
    description: dict[str, str]
    articles: list[ArticleContent] = field(default_factory=list)


GENERAL = CategoryContent(
    "general",
    t("General", "Généralités", "Generelt", "Allgemein"),
    t(
        "What mpro is, what it costs and where to get help.",
        "Ce qu'est mpro, ce qu'il coûte et où trouver de l'aide.",
        "Hvad mpro er, hvad det koster, og hvor du får hjælp.",
        "Was mpro ist, was es kostet und wo Sie Hilfe bekommen.",
    ),
    [
        ArticleContent(
            "what-is-mpro",
            t(
                "What does mpro do for my fleet?",
                "Que fait mpro pour ma flotte ?",
                "Hvad kan mpro gøre for min vognpark?",
                "Was leistet mpro für meinen Fuhrpark?",
            ),
            t(
                "mpro is an online platform for businesses that run Mercedes-Benz vans. In one place you "
                "manage your company account, your vehicles and your drivers, choose the after-sales "
                "workshop for each van and order service packs such as fleet management, a digital "
                "logbook or remote functions.\n\n"
                "Your dealer is part of the process: before any service is switched on, the dealer checks "
                "your company, its first administrator and each vehicle. "
                "[How to get started](article:getting-started/first-steps)",
                "mpro est une plateforme en ligne destinée aux entreprises qui utilisent des utilitaires "
                "Mercedes-Benz. Vous y gérez au même endroit le compte de votre entreprise, vos véhicules "
                "et vos conducteurs, vous choisissez l'atelier après-vente de chaque véhicule et vous "
                "commandez des packs de services : gestion de flotte, carnet de bord numérique, fonctions "
                "à distance, etc.\n\n"
                "Votre concessionnaire intervient aussi : avant l'activation de tout service, il vérifie "
                "votre entreprise, son premier administrateur et chaque véhicule. "
                "[Comment démarrer](article:getting-started/first-steps)",
                "mpro er en onlineplatform for virksomheder med Mercedes-Benz varebiler. Ét sted "
                "administrerer du virksomhedskontoen, køretøjerne og førerne, vælger eftermarkedsværksted "
                "til hver varebil og bestiller servicepakker som flådestyring, digital kørebog eller "
                "fjernfunktioner.\n\n"
                "Din forhandler er en del af forløbet: før en tjeneste bliver slået til, kontrollerer "
                "forhandleren virksomheden, dens første administrator og hvert køretøj. "
                "[Sådan kommer du i gang](article:getting-started/first-steps)",
                "mpro ist eine Online-Plattform für Unternehmen mit Mercedes-Benz Transportern. An einem "
                "Ort verwalten Sie Ihr Firmenkonto, Ihre Fahrzeuge und Ihre Fahrer, wählen für jeden "
                "Transporter die Service-Werkstatt und bestellen Servicepakete wie Flottenmanagement, "
                "digitales Fahrtenbuch oder Fernfunktionen.\n\n"
                "Ihr Händler ist dabei: Bevor ein Dienst eingeschaltet wird, prüft er Ihr Unternehmen, "
                "dessen ersten Administrator und jedes Fahrzeug. "
                "[So legen Sie los](article:getting-started/first-steps)",
            ),
        ),
        ArticleContent(
            "mercedes-me-or-mpro",
            t(
                "How is mpro different from Mercedes me?",
                "Quelle différence entre mpro et Mercedes me ?",
                "Hvordan adskiller mpro sig fra Mercedes me?",
                "Worin unterscheidet sich mpro von Mercedes me?",
            ),
            t(
                "Mercedes me is made for private motorists and what they need from their car. mpro is "
                "built for businesses that use vans for work: its services aim at saving time and running "
                "the fleet more efficiently, and everything comes from a single manufacturer, so you can "
                "concentrate on your business.",
                "Mercedes me s'adresse aux particuliers et à leurs besoins d'automobilistes. mpro est "
                "conçu pour les entreprises qui travaillent avec des utilitaires : ses services visent à "
                "gagner du temps et à rendre la flotte plus efficace, et tout provient d'un seul "
                "constructeur, ce qui vous laisse vous consacrer à votre métier.",
                "Mercedes me er lavet til private bilister og deres behov. mpro er bygget til "
                "virksomheder, der bruger varebiler i arbejdet: tjenesterne skal spare tid og gøre driften "
                "af vognparken mere effektiv, og alt kommer fra én producent, så du kan koncentrere dig om "
                "din forretning.",
                "Mercedes me richtet sich an Privatkunden und deren Anforderungen an ihr Auto. mpro ist "
                "für Unternehmen gemacht, die Transporter beruflich einsetzen: Die Dienste sollen Zeit "
                "sparen und den Fuhrpark effizienter machen, und alles kommt von einem Hersteller – so "
                "können Sie sich auf Ihr Geschäft konzentrieren.",
            ),
        ),
        ArticleContent(
            "mercedes-me-login",
            t(
                "I already have a Mercedes me account. Can I log in to mpro with it?",
                "J'ai déjà un compte Mercedes me. Puis-je m'en servir pour me connecter à mpro ?",
                "Jeg har allerede en Mercedes me-konto. Kan jeg logge ind på mpro med den?",
                "Ich habe bereits ein Mercedes me Konto. Kann ich mich damit bei mpro anmelden?",
            ),
            t(
                "Yes, you can use the same login details (e-mail address and password) as for Mercedes "
                "me. You still need an mpro account of your own, though: for legal reasons nothing is "
                "carried over from Mercedes me, so you enter your personal and company details again when "
                "you [sign up](page:account_signup).",
                "Oui, vous pouvez utiliser les mêmes identifiants (adresse e-mail et mot de passe) que "
                "pour Mercedes me. Un compte mpro reste toutefois nécessaire : pour des raisons "
                "juridiques, aucune donnée n'est reprise de Mercedes me, et vous saisissez donc à nouveau "
                "vos informations personnelles et celles de l'entreprise lors de votre "
                "[inscription](page:account_signup).",
                "Ja, du kan bruge de samme loginoplysninger (e-mailadresse og adgangskode) som til "
                "Mercedes me. Du skal dog stadig have en mpro-konto: af juridiske grunde overføres ingen "
                "oplysninger fra Mercedes me, så du indtaster dine personlige oplysninger og virksomhedens "
                "data igen, når du [opretter dig](page:account_signup).",
                "Ja, Sie können dieselben Zugangsdaten (E-Mail-Adresse und Passwort) wie für Mercedes me "
                "verwenden. Ein eigenes mpro-Konto brauchen Sie trotzdem: Aus rechtlichen Gründen werden "
                "keine Daten aus Mercedes me übernommen, deshalb geben Sie Ihre persönlichen Daten und die "
                "Ihres Unternehmens bei der [Registrierung](page:account_signup) erneut ein.",
            ),
        ),
        ArticleContent(
            "software",
            t(
                "Which software do I need to install?",
                "Quel logiciel dois-je installer ?",
                "Hvilket program skal jeg installere?",
                "Welche Software muss ich installieren?",
            ),
            t(
                "None. mpro runs in your web browser: fleet managers and administrators use the portal "
                "and its vehicle management tool, and drivers can in addition download the driver app "
                "from the Apple App Store or Google Play.",
                "Aucun. mpro fonctionne dans votre navigateur web : gestionnaires de flotte et "
                "administrateurs utilisent le portail et son outil de gestion des véhicules ; les "
                "conducteurs peuvent en plus télécharger l'application conducteur sur l'App Store d'Apple "
                "ou sur Google Play.",
                "Intet. mpro kører i din webbrowser: flådeansvarlige og administratorer bruger portalen "
                "og dens værktøj til køretøjsadministration, og førere kan desuden hente fører-appen i "
                "Apples App Store eller Google Play.",
                "Keine. mpro läuft im Webbrowser: Fuhrparkleiter und Administratoren nutzen das Portal "
                "und seine Fahrzeugverwaltung, Fahrer können zusätzlich die Fahrer-App aus dem Apple App "
                "Store oder von Google Play laden.",
            ),
        ),
        ArticleContent(
            "costs",
            t(
                "What does mpro cost?",
                "Combien coûte mpro ?",
                "Hvad koster mpro?",
                "Was kostet mpro?",
            ),
            t(
                "The platform itself costs nothing; you pay only for the products you order, one by one "
                "or as a pack, once the free period is over.\n\n"
                "With the welcome offer, the products it includes are free for the first 12 months. After "
                "that, in Denmark, a yearly subscription with all connect services (the data interface "
                "excepted) costs DKK 1,870 excluding VAT per vehicle.\n\n"
                "The [product catalogue](page:packs:catalogue) shows the packs and their prices for your "
                "country; without an account, you find them on the [home page](page:help:home).",
                "La plateforme elle-même est gratuite ; seuls les produits commandés sont payants, à "
                "l'unité ou en pack, une fois la période gratuite écoulée.\n\n"
                "Avec l'offre de bienvenue, les produits qu'elle comprend sont gratuits pendant les "
                "12 premiers mois. Ensuite, au Danemark, l'abonnement annuel à l'ensemble des services "
                "connectés (hors interface de données) coûte 1 870 DKK HT par véhicule.\n\n"
                "Le [catalogue des produits](page:packs:catalogue) présente les packs et leurs prix pour "
                "votre pays ; sans compte, vous les trouvez sur la [page d'accueil](page:help:home).",
                "Selve platformen er gratis; du betaler kun for de produkter, du bestiller – enkeltvis "
                "eller som pakke – når den gratis periode er slut.\n\n"
                "Med velkomsttilbuddet er de omfattede produkter gratis de første 12 måneder. Derefter "
                "koster et årsabonnement med alle connect-tjenester (undtagen datagrænsefladen) i Danmark "
                "1.870 kr. ekskl. moms pr. køretøj.\n\n"
                "I [produktkataloget](page:packs:catalogue) ser du pakkerne og priserne for dit land; "
                "uden konto finder du dem på [forsiden](page:help:home).",
                "Die Plattform selbst ist kostenlos; bezahlt werden nur die Produkte, die Sie bestellen – "
                "einzeln oder als Paket –, sobald der kostenlose Zeitraum vorbei ist.\n\n"
                "Mit dem Willkommensangebot sind die enthaltenen Produkte in den ersten 12 Monaten "
                "kostenlos. Danach kostet in Dänemark ein Jahresabonnement mit allen Connect-Diensten "
                "(außer der Datenschnittstelle) 1.870 DKK zzgl. MwSt. pro Fahrzeug.\n\n"
                "Im [Produktkatalog](page:packs:catalogue) sehen Sie die Pakete und Preise für Ihr Land; "
                "ohne Konto finden Sie sie auf der [Startseite](page:help:home).",
            ),
        ),
        ArticleContent(
            "contact-support",
            t(
                "Who can I contact if I have more questions?",
                "Qui contacter si j'ai d'autres questions ?",
                "Hvem kan jeg kontakte, hvis jeg har flere spørgsmål?",
                "An wen kann ich mich mit weiteren Fragen wenden?",
            ),
            t(
                "Start with this help centre: the search box finds answers in your language. For anything "
                "it does not answer, your Mercedes-Benz dealer is your contact; "
                "[find a dealer](page:help:dealers) near you. Once logged in, company administrators and "
                "fleet managers can also choose your company's workshops under "
                "[Workshops](page:vehicles:workshops).\n\n"
                "If the dealer has to act in your company account for you, they will ask for your "
                "[support password](page:users:support_password).",
                "Commencez par ce centre d'aide : la recherche trouve les réponses dans votre langue. "
                "Pour tout le reste, votre concessionnaire Mercedes-Benz est votre interlocuteur ; "
                "[trouvez un concessionnaire](page:help:dealers) près de chez vous. Une fois connectés, "
                "les administrateurs de l'entreprise et les gestionnaires de flotte choisissent aussi "
                "les ateliers de l'entreprise sous [Ateliers](page:vehicles:workshops).\n\n"
                "Si le concessionnaire doit intervenir pour vous dans le compte de votre entreprise, il "
                "vous demandera votre [mot de passe d'assistance](page:users:support_password).",
                "Start her i hjælpecentret: søgefeltet finder svar på dit sprog. Det, du ikke finder her, "
                "hjælper din Mercedes-Benz forhandler med; [find en forhandler](page:help:dealers) i "
                "nærheden. Når de er logget ind, kan virksomhedsadministratorer og flådeansvarlige også "
                "vælge virksomhedens værksteder under [Værksteder](page:vehicles:workshops).\n\n"
                "Skal forhandleren arbejde i virksomhedskontoen på dine vegne, bliver du bedt om dit "
                "[support-password](page:users:support_password).",
                "Beginnen Sie in diesem Hilfe-Center: Die Suche findet Antworten in Ihrer Sprache. Bei "
                "allem Weiteren ist Ihr Mercedes-Benz Händler Ihr Ansprechpartner; "
                "[finden Sie einen Händler](page:help:dealers) in Ihrer Nähe. Nach der Anmeldung wählen "
                "Unternehmensadministratoren und Fuhrparkleiter außerdem die Werkstätten des "
                "Unternehmens unter [Werkstätten](page:vehicles:workshops).\n\n"
                "Muss der Händler in Ihrem Firmenkonto für Sie tätig werden, fragt er nach Ihrem "
                "[Support-Passwort](page:users:support_password).",
            ),
        ),
    ],
)

GETTING_STARTED = CategoryContent(
    "getting-started",
    t("Getting started", "Premiers pas", "Kom godt i gang", "Erste Schritte"),
    t(
        "Registering, the dealer's verification and the details we ask for.",
        "L'inscription, la vérification par le concessionnaire et les informations demandées.",
        "Registrering, forhandlerens kontrol og de oplysninger, vi beder om.",
        "Registrierung, Prüfung durch den Händler und die abgefragten Angaben.",
    ),
    [
        ArticleContent(
            "first-steps",
            t(
                "How do I get started?",
                "Comment démarrer ?",
                "Hvordan kommer jeg i gang?",
                "Wie lege ich los?",
            ),
            t(
                "Four steps take you from sign-up to a connected fleet:\n\n"
                "- Register online: [create your account](page:account_signup), then your "
                "[company](page:companies:register). If you prefer, your dealer registers the company "
                "with you.\n"
                "- Add your [vehicles](page:vehicles:list) and order service [packs](page:packs:catalogue) "
                "for them.\n"
                "- Your dealer verifies the company, its first administrator and each vehicle. This step "
                "is mandatory: no service is switched on before it.\n"
                "- Manage your fleet: drivers, workshops, services and more, in one place.\n\n"
                "Your company gets a PRO ID (PRO- followed by six letters); keep it at hand when you talk "
                "to your dealer.",
                "Quatre étapes mènent de l'inscription à une flotte connectée :\n\n"
                "- Inscrivez-vous en ligne : [créez votre compte](page:account_signup), puis votre "
                "[entreprise](page:companies:register). Si vous préférez, votre concessionnaire "
                "enregistre l'entreprise avec vous.\n"
                "- Ajoutez vos [véhicules](page:vehicles:list) et commandez pour eux des "
                "[packs](page:packs:catalogue) de services.\n"
                "- Votre concessionnaire vérifie l'entreprise, son premier administrateur et chaque "
                "véhicule. Cette étape est obligatoire : aucun service n'est activé avant.\n"
                "- Gérez votre flotte : conducteurs, ateliers, services et plus encore, au même endroit.\n\n"
                "Votre entreprise reçoit un identifiant PRO (PRO- suivi de six lettres) ; gardez-le à "
                "portée de main lorsque vous vous adressez à votre concessionnaire.",
                "Fire trin fører dig fra oprettelse til en opkoblet vognpark:\n\n"
                "- Registrér dig online: [opret din konto](page:account_signup) og derefter din "
                "[virksomhed](page:companies:register). Hvis du foretrækker det, registrerer din "
                "forhandler virksomheden sammen med dig.\n"
                "- Tilføj dine [køretøjer](page:vehicles:list), og bestil "
                "[servicepakker](page:packs:catalogue) til dem.\n"
                "- Din forhandler kontrollerer virksomheden, dens første administrator og hvert køretøj. "
                "Trinnet er obligatorisk: ingen tjeneste slås til før.\n"
                "- Administrér din vognpark: førere, værksteder, tjenester og meget mere samlet ét sted.\n\n"
                "Din virksomhed får et PRO-id (PRO- efterfulgt af seks bogstaver); hav det ved hånden, "
                "når du taler med din forhandler.",
                "Vier Schritte führen von der Registrierung zum vernetzten Fuhrpark:\n\n"
                "- Registrieren Sie sich online: [legen Sie Ihr Konto an](page:account_signup) und danach "
                "Ihr [Unternehmen](page:companies:register). Auf Wunsch registriert Ihr Händler das "
                "Unternehmen gemeinsam mit Ihnen.\n"
                "- Fügen Sie Ihre [Fahrzeuge](page:vehicles:list) hinzu und bestellen Sie "
                "[Servicepakete](page:packs:catalogue) dafür.\n"
                "- Ihr Händler prüft das Unternehmen, dessen ersten Administrator und jedes Fahrzeug. "
                "Dieser Schritt ist Pflicht: Vorher wird kein Dienst aktiviert.\n"
                "- Verwalten Sie Ihren Fuhrpark: Fahrer, Werkstätten, Dienste und mehr an einem Ort.\n\n"
                "Ihr Unternehmen erhält eine PRO-ID (PRO- und sechs Buchstaben); halten Sie sie bereit, "
                "wenn Sie mit Ihrem Händler sprechen.",
            ),
        ),
        ArticleContent(
            "dealer-verification",
            t(
                "Why does my dealer have to verify my company and vehicles?",
                "Pourquoi mon concessionnaire doit-il vérifier mon entreprise et mes véhicules ?",
                "Hvorfor skal min forhandler kontrollere min virksomhed og mine køretøjer?",
                "Warum muss mein Händler mein Unternehmen und meine Fahrzeuge prüfen?",
            ),
            t(
                "Connected services send and receive data about real vans, so we must be sure who is "
                "behind an account. Your dealer therefore checks three things: the company's details, the "
                "identity of its first administrator (with an ID card or passport, or because they know "
                "the person), and each vehicle against its registration document.\n\n"
                "Services you order wait until all three are verified and are then activated "
                "automatically. Until then, the portal marks unverified items with a red triangle. "
                "[Find a dealer](page:help:dealers)",
                "Les services connectés échangent des données sur de vrais véhicules : nous devons donc "
                "savoir qui se trouve derrière un compte. Votre concessionnaire contrôle pour cela trois "
                "éléments : les informations de l'entreprise, l'identité de son premier administrateur "
                "(carte d'identité, passeport, ou parce qu'il connaît personnellement cette personne) et "
                "chaque véhicule, à l'aide de son certificat d'immatriculation.\n\n"
                "Les services commandés attendent que ces trois vérifications soient faites, puis "
                "s'activent automatiquement. D'ici là, le portail signale les éléments non vérifiés par "
                "un triangle rouge. [Trouver un concessionnaire](page:help:dealers)",
                "Opkoblede tjenester sender og modtager data om rigtige varebiler, så vi skal vide, hvem "
                "der står bag en konto. Din forhandler kontrollerer derfor tre ting: virksomhedens "
                "oplysninger, identiteten på dens første administrator (med ID-kort eller pas, eller "
                "fordi forhandleren kender personen) og hvert køretøj ud fra registreringsattesten.\n\n"
                "Bestilte tjenester venter, til alle tre er kontrolleret, og aktiveres derefter "
                "automatisk. Indtil da markerer portalen ikke-kontrollerede oplysninger med en rød "
                "trekant. [Find en forhandler](page:help:dealers)",
                "Vernetzte Dienste senden und empfangen Daten echter Fahrzeuge, deshalb müssen wir "
                "wissen, wer hinter einem Konto steht. Ihr Händler prüft daher drei Dinge: die Angaben "
                "des Unternehmens, die Identität seines ersten Administrators (per Personalausweis oder "
                "Reisepass, oder weil er die Person persönlich kennt) und jedes Fahrzeug anhand der "
                "Zulassungsbescheinigung.\n\n"
                "Bestellte Dienste warten, bis alle drei Prüfungen erfolgt sind, und werden dann "
                "automatisch aktiviert. Bis dahin kennzeichnet das Portal ungeprüfte Angaben mit einem "
                "roten Dreieck. [Händler finden](page:help:dealers)",
            ),
        ),
        ArticleContent(
            "smartphone",
            t(
                "Do I need a smartphone with internet access to use mpro?",
                "Ai-je besoin d'un smartphone avec accès à Internet pour utiliser mpro ?",
                "Skal jeg have en smartphone med internetadgang for at bruge mpro?",
                "Brauche ich ein Smartphone mit Internetzugang, um mpro zu nutzen?",
            ),
            t(
                "Not if your van has the built-in communication module: its SIM card is fixed in the "
                "vehicle and provides the connection, so mpro works without a smartphone. Bear in mind, "
                "though, that the services designed to make drivers' daily work easier rely on the "
                "[driver app](article:driver-app/what-is-the-driver-app).",
                "Non, si votre véhicule dispose du module de communication intégré : sa carte SIM, fixée "
                "dans le véhicule, assure la connexion, et mpro fonctionne donc sans smartphone. Sachez "
                "toutefois que les services pensés pour faciliter le quotidien des conducteurs passent "
                "par l'[application conducteur](article:driver-app/what-is-the-driver-app).",
                "Nej, ikke hvis din varebil har det indbyggede kommunikationsmodul: SIM-kortet sidder "
                "fast i køretøjet og sørger for forbindelsen, så mpro fungerer uden smartphone. Vær dog "
                "opmærksom på, at de tjenester, der skal gøre førerens arbejdsdag lettere, kræver "
                "[fører-appen](article:driver-app/what-is-the-driver-app).",
                "Nicht, wenn Ihr Transporter das eingebaute Kommunikationsmodul hat: Dessen SIM-Karte ist "
                "fest im Fahrzeug verbaut und stellt die Verbindung her, mpro funktioniert also ohne "
                "Smartphone. Beachten Sie aber, dass die Dienste, die Fahrern den Arbeitsalltag "
                "erleichtern sollen, die [Fahrer-App](article:driver-app/what-is-the-driver-app) "
                "voraussetzen.",
            ),
        ),
        ArticleContent(
            "date-of-birth",
            t(
                "Why do you ask for my date of birth?",
                "Pourquoi ma date de naissance est-elle demandée ?",
                "Hvorfor skal jeg oplyse min fødselsdato?",
                "Warum muss ich mein Geburtsdatum angeben?",
            ),
            t(
                "Your dealer needs it to verify you: they compare the details stored in mpro with those "
                "on your ID document. You can check what you entered on your [profile](page:users:profile).",
                "Votre concessionnaire en a besoin pour vous vérifier : il compare les informations "
                "enregistrées dans mpro avec celles de votre pièce d'identité. Vous pouvez vérifier ce que "
                "vous avez saisi dans votre [profil](page:users:profile).",
                "Din forhandler skal bruge den til at kontrollere dig: forhandleren sammenligner "
                "oplysningerne i mpro med dem på dit ID-dokument. Du kan se, hvad du har indtastet, på "
                "din [profil](page:users:profile).",
                "Ihr Händler braucht es, um Sie zu prüfen: Er vergleicht die in mpro gespeicherten "
                "Angaben mit denen in Ihrem Ausweisdokument. Was Sie eingegeben haben, sehen Sie in Ihrem "
                "[Profil](page:users:profile).",
            ),
        ),
        ArticleContent(
            "company-details",
            t(
                "Which company details can I change after registering?",
                "Quelles informations de l'entreprise puis-je modifier après l'inscription ?",
                "Hvilke virksomhedsoplysninger kan jeg ændre efter registreringen?",
                "Welche Unternehmensdaten kann ich nach der Registrierung ändern?",
            ),
            t(
                "Everything except the country, which is fixed once the company is registered. Your "
                "company administrator edits the details on the [company page](page:companies:detail).\n\n"
                "Note that changing the company's base data, such as its name or address, starts a new "
                "generation of its existing contracts. "
                "[What is a contract generation?](article:contract-legal-roles/contract-generation)",
                "Toutes, sauf le pays, qui est fixé une fois l'entreprise enregistrée. L'administrateur "
                "de votre entreprise les modifie sur la [page de l'entreprise](page:companies:detail).\n\n"
                "Attention : modifier les données de base de l'entreprise, comme son nom ou son adresse, "
                "fait démarrer une nouvelle génération de ses contrats en cours. "
                "[Qu'est-ce qu'une génération de contrats ?](article:contract-legal-roles/contract-generation)",
                "Alle undtagen landet, som ligger fast, når virksomheden er registreret. Virksomhedens "
                "administrator retter oplysningerne på [virksomhedssiden](page:companies:detail).\n\n"
                "Bemærk, at en ændring af virksomhedens grunddata, f.eks. navn eller adresse, starter en "
                "ny generation af de eksisterende kontrakter. "
                "[Hvad er en kontraktgeneration?](article:contract-legal-roles/contract-generation)",
                "Alle außer dem Land, das mit der Registrierung des Unternehmens feststeht. Der "
                "Administrator Ihres Unternehmens ändert die Angaben auf der "
                "[Unternehmensseite](page:companies:detail).\n\n"
                "Beachten Sie: Eine Änderung der Stammdaten des Unternehmens, etwa des Namens oder der "
                "Adresse, startet eine neue Generation der bestehenden Verträge. "
                "[Was ist eine Vertragsgeneration?](article:contract-legal-roles/contract-generation)",
            ),
        ),
        ArticleContent(
            "personal-details",
            t(
                "Which of my personal details can I change after registering?",
                "Quelles informations personnelles puis-je modifier après l'inscription ?",
                "Hvilke af mine personlige oplysninger kan jeg ændre efter registreringen?",
                "Welche meiner persönlichen Daten kann ich nach der Registrierung ändern?",
            ),
            t(
                "All of them. Please keep them valid and up to date: they must always match your ID "
                "document, since your dealer verifies you against it. Edit them on your "
                "[profile](page:users:profile).",
                "Toutes. Veillez à ce qu'elles restent valables et à jour : elles doivent toujours "
                "correspondre à votre pièce d'identité, sur la base de laquelle votre concessionnaire "
                "vous vérifie. Modifiez-les dans votre [profil](page:users:profile).",
                "Dem alle. Sørg for, at de er gyldige og opdaterede: de skal altid stemme overens med dit "
                "ID-dokument, da forhandleren kontrollerer dig ud fra det. Ret dem på din "
                "[profil](page:users:profile).",
                "Alle. Halten Sie sie bitte gültig und aktuell: Sie müssen stets mit Ihrem "
                "Ausweisdokument übereinstimmen, denn Ihr Händler prüft Sie anhand dieses Dokuments. "
                "Ändern Sie sie in Ihrem [Profil](page:users:profile).",
            ),
        ),
        ArticleContent(
            "support-password",
            t(
                "Why do I need a personal support password?",
                "Pourquoi dois-je définir un mot de passe d'assistance personnel ?",
                "Hvorfor skal jeg have et personligt support-password?",
                "Wozu brauche ich ein persönliches Support-Passwort?",
            ),
            t(
                "With it, an employee of your Mercedes-Benz dealer or of customer support can work in "
                "your company account on your behalf, for example to add vehicles or order packs with "
                "you, but only once you have told them the password. Only you can set it, and it is "
                "stored in a form nobody can read back, so nobody else can get into your company account "
                "this way.\n\n"
                "Whenever you need help that requires access to your account, you will be asked for it. "
                "You can change it at any time under [Support password](page:users:support_password).",
                "Grâce à lui, un collaborateur de votre concessionnaire Mercedes-Benz ou du support "
                "client peut intervenir dans le compte de votre entreprise à votre place, par exemple "
                "pour ajouter des véhicules ou commander des packs avec vous, mais seulement après que "
                "vous le lui avez communiqué. Vous seul pouvez le définir, et il est enregistré sous une "
                "forme que personne ne peut relire : personne d'autre ne peut ainsi accéder au compte de "
                "votre entreprise.\n\n"
                "Chaque fois que l'aide dont vous avez besoin exige un accès à votre compte, on vous le "
                "demandera. Vous pouvez le changer à tout moment sous "
                "[Mot de passe d'assistance](page:users:support_password).",
                "Med det kan en medarbejder hos din Mercedes-Benz forhandler eller i kundesupporten "
                "arbejde i virksomhedskontoen på dine vegne, f.eks. tilføje køretøjer eller bestille "
                "pakker sammen med dig – men først når du har oplyst passwordet. Kun du selv kan vælge "
                "det, og det gemmes, så ingen kan læse det igen – derfor kan ingen andre komme ind på "
                "virksomhedskontoen på den måde.\n\n"
                "Når du har brug for hjælp, der kræver adgang til din konto, bliver du bedt om det. Du kan "
                "altid ændre det under [Support-password](page:users:support_password).",
                "Damit kann ein Mitarbeiter Ihres Mercedes-Benz Händlers oder des Kundensupports in Ihrem "
                "Firmenkonto für Sie tätig werden, etwa um gemeinsam mit Ihnen Fahrzeuge hinzuzufügen "
                "oder Pakete zu bestellen – aber erst, nachdem Sie ihm das Passwort genannt haben. Nur "
                "Sie selbst können es festlegen, und es wird so gespeichert, dass niemand es auslesen "
                "kann – so gelangt niemand Unbefugtes auf diesem Weg in Ihr Firmenkonto.\n\n"
                "Wenn Sie Hilfe brauchen, für die jemand auf Ihr Konto zugreifen muss, werden Sie danach "
                "gefragt. Sie können es jederzeit unter [Support-Passwort](page:users:support_password) "
                "ändern.",
            ),
        ),
    ],
)

COMMUNICATION_MODULE = CategoryContent(
    "communication-module",
    t("Communication module", "Module de communication", "Kommunikationsmodul", "Kommunikationsmodul"),
    t(
        "The connectivity unit built into your van: activation and use abroad.",
        "Le boîtier connecté intégré à votre véhicule : activation et utilisation à l'étranger.",
        "Den indbyggede enhed i din varebil: aktivering og brug i udlandet.",
        "Die fest eingebaute Einheit in Ihrem Transporter: Aktivierung und Nutzung im Ausland.",
    ),
    [
        ArticleContent(
            "module-activation",
            t(
                "How do I start using the communication module?",
                "Comment commencer à utiliser le module de communication ?",
                "Hvordan begynder jeg at bruge kommunikationsmodulet?",
                "Wie nehme ich das Kommunikationsmodul in Betrieb?",
            ),
            t(
                "The communication module (LTE) for digital services is built into your van; there is "
                "nothing to fit or switch on yourself. It is activated when you buy a service in the "
                "portal and that service is assigned to the vehicle: order a pack for the van in the "
                "[product catalogue](page:packs:catalogue).\n\n"
                "Activation starts once your dealer has verified the company, its first administrator and "
                "the vehicle. Your [vehicle list](page:vehicles:list) shows each van's status.",
                "Le module de communication (LTE) pour les services numériques est intégré à votre "
                "véhicule : vous n'avez rien à installer ni à allumer. Il est activé lorsque vous achetez "
                "un service sur le portail et que ce service est affecté au véhicule : commandez un pack "
                "pour ce véhicule dans le [catalogue des produits](page:packs:catalogue).\n\n"
                "L'activation démarre dès que votre concessionnaire a vérifié l'entreprise, son premier "
                "administrateur et le véhicule. La [liste des véhicules](page:vehicles:list) indique "
                "l'état de chacun.",
                "Kommunikationsmodulet (LTE) til digitale tjenester er bygget ind i din varebil; du skal "
                "hverken montere eller tænde noget. Det aktiveres, når du køber en tjeneste i portalen, "
                "og tjenesten knyttes til køretøjet: bestil en pakke til varebilen i "
                "[produktkataloget](page:packs:catalogue).\n\n"
                "Aktiveringen starter, så snart din forhandler har kontrolleret virksomheden, dens første "
                "administrator og køretøjet. [Køretøjslisten](page:vehicles:list) viser status for hver "
                "varebil.",
                "Das Kommunikationsmodul (LTE) für digitale Dienste ist fest in Ihrem Transporter "
                "verbaut; Sie müssen nichts einbauen oder einschalten. Es wird aktiviert, sobald Sie im "
                "Portal einen Dienst kaufen und dieser dem Fahrzeug zugeordnet ist: Bestellen Sie im "
                "[Produktkatalog](page:packs:catalogue) ein Paket für das Fahrzeug.\n\n"
                "Die Aktivierung beginnt, sobald Ihr Händler das Unternehmen, dessen ersten "
                "Administrator und das Fahrzeug geprüft hat. Die [Fahrzeugliste](page:vehicles:list) "
                "zeigt den Status jedes Transporters.",
            ),
        ),
        ArticleContent(
            "roaming",
            t(
                "Can I use mpro across borders?",
                "Puis-je utiliser mpro à l'étranger ?",
                "Kan jeg bruge mpro på tværs af landegrænser?",
                "Kann ich mpro grenzüberschreitend nutzen?",
            ),
            t(
                "Yes. The communication module keeps working abroad, and mpro pays the roaming charges of "
                "its connection. This does not apply to your own phone or mobile device: if roaming and "
                "mobile data are switched on there, your mobile provider may charge you, and mpro does "
                "not cover those charges.",
                "Oui. Le module de communication continue de fonctionner au-delà des frontières, et mpro "
                "prend en charge les frais d'itinérance de sa connexion. Cela ne vaut pas pour votre "
                "propre téléphone ou appareil mobile : si l'itinérance et les données mobiles y sont "
                "activées, votre opérateur peut vous facturer des frais, que mpro ne prend pas en charge.",
                "Ja. Kommunikationsmodulet virker også i udlandet, og mpro betaler roamingafgifterne for "
                "dets forbindelse. Det gælder ikke din egen telefon eller mobile enhed: er roaming og "
                "mobildata slået til der, kan dit mobilselskab opkræve gebyrer, og dem dækker mpro ikke.",
                "Ja. Das Kommunikationsmodul funktioniert auch im Ausland, und mpro übernimmt die "
                "Roaminggebühren seiner Verbindung. Für Ihr eigenes Telefon oder Mobilgerät gilt das "
                "nicht: Sind dort Roaming und mobile Daten eingeschaltet, kann Ihr Mobilfunkanbieter "
                "Gebühren berechnen, die mpro nicht übernimmt.",
            ),
        ),
    ],
)

DRIVER_APP = CategoryContent(
    "driver-app",
    t("Driver app", "Application conducteur", "Fører-app", "Fahrer-App"),
    t(
        "The smartphone app for your drivers.",
        "L'application pour smartphone de vos conducteurs.",
        "Smartphone-appen til dine førere.",
        "Die Smartphone-App für Ihre Fahrer.",
    ),
    [
        ArticleContent(
            "what-is-the-driver-app",
            t(
                "What is the driver app for?",
                "À quoi sert l'application conducteur ?",
                "Hvad bruger jeg fører-appen til?",
                "Wofür ist die Fahrer-App da?",
            ),
            t(
                "The driver app makes it easy for the fleet manager and the drivers to stay in touch: "
                "drivers receive job and vehicle information straight on their smartphone, and they can "
                "assign themselves to a vehicle in the app.\n\n"
                "Depending on the services ordered, drivers can also look back over the trips they have "
                "made, or lock and unlock their assigned van remotely. On the web portal, drivers find "
                "their van under [My vehicle](page:vehicles:list).",
                "L'application conducteur facilite les échanges entre le gestionnaire de flotte et les "
                "conducteurs : ceux-ci reçoivent les informations sur leurs missions et leur véhicule "
                "directement sur leur smartphone, et ils peuvent s'affecter eux-mêmes à un véhicule dans "
                "l'application.\n\n"
                "Selon les services commandés, les conducteurs peuvent aussi consulter les trajets "
                "effectués, ou verrouiller et déverrouiller à distance le véhicule qui leur est affecté. "
                "Sur le portail web, les conducteurs trouvent leur véhicule sous "
                "[Mon véhicule](page:vehicles:list).",
                "Fører-appen gør det nemt for den flådeansvarlige og førerne at holde kontakten: førerne "
                "får opgave- og køretøjsoplysninger direkte på deres smartphone, og de kan selv knytte "
                "sig til et køretøj i appen.\n\n"
                "Afhængigt af de bestilte tjenester kan førerne også se de ture, de har kørt, eller låse "
                "og låse op for den tildelte varebil på afstand. På webportalen finder førerne deres "
                "varebil under [Mit køretøj](page:vehicles:list).",
                "Die Fahrer-App erleichtert die Verständigung zwischen Fuhrparkleiter und Fahrern: Die "
                "Fahrer erhalten Auftrags- und Fahrzeuginformationen direkt auf ihr Smartphone und können "
                "sich in der App selbst einem Fahrzeug zuordnen.\n\n"
                "Je nach bestellten Diensten sehen die Fahrer außerdem ihre gefahrenen Strecken oder ver- "
                "und entriegeln ihren zugeordneten Transporter aus der Ferne. Im Webportal finden Fahrer "
                "ihren Transporter unter [Mein Fahrzeug](page:vehicles:list).",
            ),
        ),
        ArticleContent(
            "driver-app-cost",
            t(
                "What does the driver app cost?",
                "Combien coûte l'application conducteur ?",
                "Hvad koster fører-appen?",
                "Was kostet die Fahrer-App?",
            ),
            t(
                "Nothing. The driver app is free to download from the Apple App Store and Google Play.",
                "Rien. L'application conducteur se télécharge gratuitement sur l'App Store d'Apple et sur "
                "Google Play.",
                "Ingenting. Fører-appen kan hentes gratis i Apples App Store og i Google Play.",
                "Nichts. Die Fahrer-App steht kostenlos im Apple App Store und bei Google Play zum "
                "Download bereit.",
            ),
        ),
        ArticleContent(
            "driver-app-pairing",
            t(
                "Do I have to pair the driver app with the communication module?",
                "Dois-je associer l'application conducteur au module de communication ?",
                "Skal jeg parre fører-appen med kommunikationsmodulet?",
                "Muss ich die Fahrer-App mit dem Kommunikationsmodul koppeln?",
            ),
            t(
                "No, there is no pairing to do. All the data you need is available in the vehicle "
                "management tool: the app sends its data there automatically, and the vehicle management "
                "tool keeps itself in step with the portal.",
                "Non, aucun appairage n'est nécessaire. Toutes les données utiles sont disponibles dans "
                "l'outil de gestion des véhicules : l'application y transmet automatiquement ses données, "
                "et l'outil se synchronise avec le portail.",
                "Nej, der er intet at parre. Alle de data, du har brug for, findes i værktøjet til "
                "køretøjsadministration: appen sender automatisk sine data dertil, og værktøjet "
                "synkroniserer med portalen.",
                "Nein, eine Kopplung ist nicht nötig. Alle benötigten Daten stehen in der "
                "Fahrzeugverwaltung bereit: Die App überträgt ihre Daten automatisch dorthin, und die "
                "Fahrzeugverwaltung gleicht sich mit dem Portal ab.",
            ),
        ),
        ArticleContent(
            "module-without-smartphone",
            t(
                "Can I use the communication module without a smartphone?",
                "Puis-je utiliser le module de communication sans smartphone ?",
                "Kan jeg bruge kommunikationsmodulet uden smartphone?",
                "Kann ich das Kommunikationsmodul ohne Smartphone nutzen?",
            ),
            t(
                "Yes. The module connects through the SIM card built into the van, so the connected "
                "services run without a smartphone. Only the services made to simplify drivers' work "
                "need the driver app.",
                "Oui. Le module se connecte via la carte SIM intégrée au véhicule : les services "
                "connectés fonctionnent donc sans smartphone. Seuls les services conçus pour simplifier "
                "le travail des conducteurs nécessitent l'application conducteur.",
                "Ja. Modulet går på nettet via det SIM-kort, der er bygget ind i varebilen, så de "
                "opkoblede tjenester kører uden smartphone. Kun de tjenester, der skal gøre førernes "
                "arbejde lettere, kræver fører-appen.",
                "Ja. Das Modul verbindet sich über die im Transporter verbaute SIM-Karte, die vernetzten "
                "Dienste laufen also ohne Smartphone. Nur die Dienste, die Fahrern die Arbeit erleichtern "
                "sollen, benötigen die Fahrer-App.",
            ),
        ),
        ArticleContent(
            "driver-app-abroad",
            t(
                "Does the driver app send data when I drive abroad?",
                "L'application conducteur transmet-elle des données lorsque je roule à l'étranger ?",
                "Sender fører-appen data, når jeg kører i udlandet?",
                "Überträgt die Fahrer-App Daten, wenn ich im Ausland fahre?",
            ),
            t(
                "It transmits data only while the phone is connected to the internet. Abroad, your mobile "
                "provider may charge roaming fees for that connection.",
                "Elle ne transmet des données que lorsque le téléphone est connecté à Internet. À "
                "l'étranger, votre opérateur mobile peut facturer des frais d'itinérance pour cette "
                "connexion.",
                "Den sender kun data, mens telefonen har forbindelse til internettet. I udlandet kan dit "
                "mobilselskab opkræve roaminggebyrer for den forbindelse.",
                "Sie überträgt nur Daten, solange das Telefon mit dem Internet verbunden ist. Im Ausland "
                "kann Ihr Mobilfunkanbieter dafür Roaminggebühren berechnen.",
            ),
        ),
        ArticleContent(
            "driver-app-password",
            t(
                "I have forgotten my driver app password. What now?",
                "J'ai oublié le mot de passe de l'application conducteur. Que faire ?",
                "Jeg har glemt min adgangskode til fører-appen. Hvad gør jeg?",
                "Ich habe mein Passwort für die Fahrer-App vergessen. Was nun?",
            ),
            t(
                "On the app's login screen, tap “New password?”. A page opens where you enter your e-mail "
                "address and the characters shown in a picture; you then receive an e-mail to set a new "
                "password.\n\n"
                "For the web portal, use [Forgot your password?](page:account_reset_password) on the "
                "login page.",
                "Sur l'écran de connexion de l'application, touchez « Nouveau mot de passe ? ». Une page "
                "s'ouvre : saisissez votre adresse e-mail et les caractères affichés sur une image ; vous "
                "recevez ensuite un e-mail pour choisir un nouveau mot de passe.\n\n"
                "Pour le portail web, utilisez [Mot de passe oublié ?](page:account_reset_password) sur "
                "la page de connexion.",
                "Tryk på „Ny adgangskode?“ på appens loginskærm. Der åbnes en side, hvor du indtaster din "
                "e-mailadresse og tegnene fra et billede; derefter får du en e-mail, så du kan vælge en "
                "ny adgangskode.\n\n"
                "Til webportalen bruger du [Glemt din adgangskode?](page:account_reset_password) på "
                "loginsiden.",
                "Tippen Sie auf dem Anmeldebildschirm der App auf „Neues Passwort?“. Es öffnet sich eine "
                "Seite, auf der Sie Ihre E-Mail-Adresse und die Zeichen aus einem Bild eingeben; "
                "anschließend erhalten Sie eine E-Mail, um ein neues Passwort festzulegen.\n\n"
                "Für das Webportal nutzen Sie [Passwort vergessen?](page:account_reset_password) auf der "
                "Anmeldeseite.",
            ),
        ),
        ArticleContent(
            "mercedes-me-app",
            t(
                "Can I use the Mercedes me App alongside the driver app?",
                "Puis-je utiliser l'application Mercedes me en même temps que l'application conducteur ?",
                "Kan jeg bruge Mercedes me-appen sammen med fører-appen?",
                "Kann ich die Mercedes me App zusammen mit der Fahrer-App verwenden?",
            ),
            t(
                "Not at the moment. The two apps are not linked to each other, and the Mercedes me App is "
                "not meant for business use with mpro. Your drivers use the driver app for their work "
                "vans.",
                "Pas pour le moment. Les deux applications ne sont pas reliées entre elles, et "
                "l'application Mercedes me n'est pas prévue pour un usage professionnel avec mpro. Vos "
                "conducteurs utilisent l'application conducteur pour leurs véhicules de travail.",
                "Ikke i øjeblikket. De to apps er ikke forbundet med hinanden, og Mercedes me-appen er "
                "ikke beregnet til erhvervsbrug sammen med mpro. Dine førere bruger fører-appen til deres "
                "arbejdsbiler.",
                "Derzeit nicht. Die beiden Apps sind nicht miteinander verbunden, und die Mercedes me App "
                "ist nicht für den geschäftlichen Einsatz mit mpro gedacht. Ihre Fahrer nutzen für ihre "
                "Dienstfahrzeuge die Fahrer-App.",
            ),
        ),
        ArticleContent(
            "register-as-driver",
            t(
                "How do I register as a driver?",
                "Comment m'inscrire en tant que conducteur ?",
                "Hvordan registrerer jeg mig som fører?",
                "Wie registriere ich mich als Fahrer?",
            ),
            t(
                "Once your company administrator has added you as a driver, you receive an e-mail with a "
                "link to finish your registration: follow it, choose your password and your account is "
                "ready. Then install the driver app, log in, and assign yourself to a vehicle, unless "
                "your fleet manager has already assigned one to you. Administrators add drivers under "
                "[Users](page:companies:members).\n\n"
                "In a company run by a single person, the driver account needs a different e-mail address "
                "from the one used for the administrator account.",
                "Dès que l'administrateur de votre entreprise vous a ajouté comme conducteur, vous "
                "recevez un e-mail avec un lien pour finaliser votre inscription : suivez-le, choisissez "
                "votre mot de passe, et votre compte est prêt. Installez ensuite l'application "
                "conducteur, connectez-vous et affectez-vous à un véhicule, à moins que votre gestionnaire "
                "de flotte ne vous en ait déjà affecté un. Les administrateurs ajoutent les conducteurs "
                "sous [Utilisateurs](page:companies:members).\n\n"
                "Dans une entreprise dirigée par une seule personne, le compte conducteur doit utiliser "
                "une autre adresse e-mail que celle du compte administrateur.",
                "Når virksomhedens administrator har tilføjet dig som fører, modtager du en e-mail med et "
                "link til at afslutte registreringen: følg det, vælg din adgangskode, og din konto er "
                "klar. Installér derefter fører-appen, log ind, og knyt dig til et køretøj, medmindre din "
                "flådeansvarlige allerede har tildelt dig et. Administratorer tilføjer førere under "
                "[Brugere](page:companies:members).\n\n"
                "I en virksomhed med kun én ejer skal førerkontoen bruge en anden e-mailadresse end "
                "administratorkontoen.",
                "Sobald der Administrator Ihres Unternehmens Sie als Fahrer hinzugefügt hat, erhalten Sie "
                "eine E-Mail mit einem Link, um die Registrierung abzuschließen: Folgen Sie ihm, wählen "
                "Sie Ihr Passwort, und Ihr Konto ist bereit. Installieren Sie dann die Fahrer-App, melden "
                "Sie sich an und ordnen Sie sich einem Fahrzeug zu, sofern Ihr Fuhrparkleiter Ihnen nicht "
                "bereits eines zugeordnet hat. Administratoren fügen Fahrer unter "
                "[Benutzer](page:companies:members) hinzu.\n\n"
                "In einem Einzelunternehmen muss das Fahrerkonto eine andere E-Mail-Adresse verwenden als "
                "das Administratorkonto.",
            ),
        ),
    ],
)

VEHICLE_MANAGEMENT_TOOL = CategoryContent(
    "vehicle-management-tool",
    t(
        "Vehicle management tool",
        "Outil de gestion des véhicules",
        "Køretøjsadministration",
        "Fahrzeugverwaltung",
    ),
    t(
        "Managing vans, drivers and workshops.",
        "Gérer véhicules, conducteurs et ateliers.",
        "Administration af varebiler, førere og værksteder.",
        "Transporter, Fahrer und Werkstätten verwalten.",
    ),
    [
        ArticleContent(
            "vehicle-management-overview",
            t(
                "What can I do in the vehicle management tool?",
                "Que puis-je faire dans l'outil de gestion des véhicules ?",
                "Hvad kan jeg gøre i værktøjet til køretøjsadministration?",
                "Was kann ich in der Fahrzeugverwaltung tun?",
            ),
            t(
                "The vehicle management tool is the Vehicles part of the portal. There you add vans by "
                "their VIN (one by one or from a file), give them a licence plate and a nickname, assign "
                "drivers, and choose the after-sales workshop for each van. "
                "[Open your vehicles](page:vehicles:list) or [choose a workshop](page:vehicles:workshops).",
                "L'outil de gestion des véhicules correspond à la partie Véhicules du portail. Vous y "
                "ajoutez vos véhicules par leur numéro de châssis (VIN), un par un ou à partir d'un "
                "fichier, vous leur donnez une immatriculation et un nom, vous affectez les conducteurs "
                "et vous choisissez l'atelier après-vente de chaque véhicule. "
                "[Ouvrir vos véhicules](page:vehicles:list) ou "
                "[choisir un atelier](page:vehicles:workshops).",
                "Værktøjet til køretøjsadministration er portalens del Køretøjer. Her tilføjer du "
                "varebiler med deres stelnummer (VIN) – enkeltvis eller fra en fil –, giver dem "
                "nummerplade og kaldenavn, tildeler førere og vælger eftermarkedsværksted til hver "
                "varebil. [Åbn dine køretøjer](page:vehicles:list) eller "
                "[vælg et værksted](page:vehicles:workshops).",
                "Die Fahrzeugverwaltung ist der Bereich Fahrzeuge im Portal. Dort fügen Sie Transporter "
                "mit ihrer Fahrgestellnummer (FIN) hinzu – einzeln oder per Datei –, vergeben Kennzeichen "
                "und Namen, ordnen Fahrer zu und wählen für jeden Transporter die Service-Werkstatt. "
                "[Zu Ihren Fahrzeugen](page:vehicles:list) oder "
                "[Werkstatt wählen](page:vehicles:workshops).",
            ),
        ),
        ArticleContent(
            "vehicle-management-cost",
            t(
                "What does the vehicle management tool cost?",
                "Combien coûte l'outil de gestion des véhicules ?",
                "Hvad koster det at bruge værktøjet til køretøjsadministration?",
                "Was kostet die Fahrzeugverwaltung?",
            ),
            t(
                "Nothing: the vehicle management tool is included free of charge with mpro.",
                "Rien : l'outil de gestion des véhicules est inclus gratuitement dans mpro.",
                "Ingenting: værktøjet til køretøjsadministration følger gratis med mpro.",
                "Nichts: Die Fahrzeugverwaltung ist in mpro kostenlos enthalten.",
            ),
        ),
        ArticleContent(
            "vehicle-limit",
            t(
                "Is there a limit on the number of vehicles?",
                "Le nombre de véhicules est-il limité ?",
                "Er der en grænse for antallet af køretøjer?",
                "Ist die Anzahl der Fahrzeuge begrenzt?",
            ),
            t(
                "No. You can manage as many vehicles as you like in the vehicle management tool.",
                "Non. Vous pouvez gérer autant de véhicules que vous le souhaitez dans l'outil de gestion "
                "des véhicules.",
                "Nej. Du kan administrere så mange køretøjer, du vil, i værktøjet til "
                "køretøjsadministration.",
                "Nein. Sie können in der Fahrzeugverwaltung beliebig viele Fahrzeuge verwalten.",
            ),
        ),
        ArticleContent(
            "vehicle-management-password",
            t(
                "I have forgotten my password for the vehicle management tool. What now?",
                "J'ai oublié mon mot de passe de l'outil de gestion des véhicules. Que faire ?",
                "Jeg har glemt min adgangskode til værktøjet til køretøjsadministration. Hvad gør jeg?",
                "Ich habe mein Passwort für die Fahrzeugverwaltung vergessen. Was nun?",
            ),
            t(
                "Click [Forgot your password?](page:account_reset_password) on the login screen. On the "
                "page that opens, enter your e-mail address; you then receive an e-mail with a link to "
                "choose a new password.",
                "Cliquez sur [Mot de passe oublié ?](page:account_reset_password) sur l'écran de "
                "connexion. Sur la page qui s'ouvre, saisissez votre adresse e-mail ; vous recevez alors "
                "un e-mail avec un lien pour choisir un nouveau mot de passe.",
                "Klik på [Glemt din adgangskode?](page:account_reset_password) på loginskærmen. Indtast din "
                "e-mailadresse på den side, der åbnes; du får derefter en e-mail med et link til at "
                "vælge en ny adgangskode.",
                "Klicken Sie auf dem Anmeldebildschirm auf "
                "[Passwort vergessen?](page:account_reset_password). Geben Sie auf der folgenden Seite "
                "Ihre E-Mail-Adresse ein; Sie erhalten dann eine E-Mail mit einem Link, um ein neues "
                "Passwort zu wählen.",
            ),
        ),
    ],
)

CONTRACT_LEGAL_ROLES = CategoryContent(
    "contract-legal-roles",
    t(
        "Contract, legal and roles",
        "Contrat, aspects juridiques et rôles",
        "Kontrakt, jura og roller",
        "Vertrag, Recht und Rollen",
    ),
    t(
        "Who may do what, the terms you accept and contract generations.",
        "Qui peut faire quoi, les conditions acceptées et les générations de contrats.",
        "Hvem må hvad, de vilkår, du accepterer, og kontraktgenerationer.",
        "Wer was darf, die akzeptierten Bedingungen und Vertragsgenerationen.",
    ),
    [
        ArticleContent(
            "roles",
            t(
                "Which roles are there, and who may do what?",
                "Quels sont les rôles, et qui peut faire quoi ?",
                "Hvilke roller findes der, og hvem må hvad?",
                "Welche Rollen gibt es, und wer darf was?",
            ),
            t(
                "Each person belongs to one company, with one of three roles:\n\n"
                "- Company administrator: manages the company details, the users and their roles, and "
                "orders packs. The first administrator is the person the dealer verifies.\n"
                "- Fleet manager: manages the vehicles, drivers and workshops, and the services of the "
                "vans.\n"
                "- Driver: sees their own vehicle and can assign themselves to one.\n\n"
                "Administrators manage people and roles under [Users](page:companies:members).",
                "Chaque personne appartient à une seule entreprise, avec l'un de ces trois rôles :\n\n"
                "- Administrateur de l'entreprise : gère les informations de l'entreprise, les "
                "utilisateurs et leurs rôles, et commande les packs. Le premier administrateur est la "
                "personne que le concessionnaire vérifie.\n"
                "- Gestionnaire de flotte : gère les véhicules, les conducteurs, les ateliers et les "
                "services des véhicules.\n"
                "- Conducteur : voit son propre véhicule et peut s'affecter à un véhicule.\n\n"
                "Les administrateurs gèrent les personnes et les rôles sous "
                "[Utilisateurs](page:companies:members).",
                "Hver person hører til én virksomhed med én af tre roller:\n\n"
                "- Virksomhedsadministrator: administrerer virksomhedens oplysninger, brugerne og deres "
                "roller og bestiller pakker. Den første administrator er den person, forhandleren "
                "kontrollerer.\n"
                "- Flådeansvarlig: administrerer køretøjer, førere, værksteder og varebilernes "
                "tjenester.\n"
                "- Fører: ser sit eget køretøj og kan knytte sig til et køretøj.\n\n"
                "Administratorer styrer personer og roller under [Brugere](page:companies:members).",
                "Jede Person gehört zu genau einem Unternehmen und hat eine von drei Rollen:\n\n"
                "- Unternehmensadministrator: verwaltet die Unternehmensdaten, die Benutzer und ihre "
                "Rollen und bestellt Pakete. Der erste Administrator ist die Person, die der Händler "
                "prüft.\n"
                "- Fuhrparkleiter: verwaltet Fahrzeuge, Fahrer, Werkstätten und die Dienste der "
                "Transporter.\n"
                "- Fahrer: sieht das eigene Fahrzeug und kann sich einem Fahrzeug zuordnen.\n\n"
                "Administratoren verwalten Personen und Rollen unter [Benutzer](page:companies:members).",
            ),
        ),
        ArticleContent(
            "terms",
            t(
                "Which terms do I accept?",
                "Quelles conditions dois-je accepter ?",
                "Hvilke vilkår accepterer jeg?",
                "Welche Bedingungen akzeptiere ich?",
            ),
            t(
                "When the company is registered, its administrator accepts the mpro terms of use and the "
                "terms for service packs. You can read the current versions on the "
                "[terms page](page:companies:terms).",
                "Lors de l'inscription de l'entreprise, son administrateur accepte les conditions "
                "d'utilisation de mpro et les conditions des packs de services. Les versions en vigueur "
                "se trouvent sur la [page des conditions](page:companies:terms).",
                "Når virksomheden registreres, accepterer dens administrator mpros brugsvilkår og "
                "vilkårene for servicepakker. Du kan læse de gældende versioner på "
                "[siden med vilkår](page:companies:terms).",
                "Bei der Registrierung des Unternehmens akzeptiert sein Administrator die "
                "Nutzungsbedingungen von mpro und die Bedingungen für Servicepakete. Die aktuellen "
                "Fassungen finden Sie auf der [Seite mit den Bedingungen](page:companies:terms).",
            ),
        ),
        ArticleContent(
            "contract-generation",
            t(
                "What is a new contract generation?",
                "Qu'est-ce qu'une nouvelle génération de contrats ?",
                "Hvad er en ny kontraktgeneration?",
                "Was ist eine neue Vertragsgeneration?",
            ),
            t(
                "Your subscriptions are contracts with your company as it is registered. When the "
                "company's base data changes, for example its name or address, a new generation of these "
                "contracts starts with the new details, so that contracts and invoices always name the "
                "company as it is today. The [company page](page:companies:detail) shows the current "
                "details.",
                "Vos abonnements sont des contrats conclus avec votre entreprise telle qu'elle est "
                "enregistrée. Lorsque ses données de base changent, par exemple son nom ou son adresse, "
                "une nouvelle génération de ces contrats démarre avec les nouvelles informations, afin "
                "que contrats et factures désignent toujours l'entreprise telle qu'elle est aujourd'hui. "
                "La [page de l'entreprise](page:companies:detail) affiche les informations actuelles.",
                "Dine abonnementer er kontrakter med virksomheden, som den er registreret. Når "
                "virksomhedens grunddata ændres, f.eks. navn eller adresse, starter en ny generation af "
                "kontrakterne med de nye oplysninger, så kontrakter og fakturaer altid nævner "
                "virksomheden, som den ser ud i dag. [Virksomhedssiden](page:companies:detail) viser de "
                "aktuelle oplysninger.",
                "Ihre Abonnements sind Verträge mit Ihrem Unternehmen, so wie es registriert ist. Ändern "
                "sich seine Stammdaten, etwa Name oder Adresse, beginnt eine neue Generation dieser "
                "Verträge mit den neuen Angaben, damit Verträge und Rechnungen das Unternehmen immer so "
                "nennen, wie es heute ist. Die [Unternehmensseite](page:companies:detail) zeigt die "
                "aktuellen Angaben.",
            ),
        ),
    ],
)

ECELL = CategoryContent(
    "ecell",
    t("eCell vehicles", "Véhicules eCell", "eCell-køretøjer", "eCell-Fahrzeuge"),
    t(
        "Charging and pre-conditioning electric vans.",
        "Recharger et préclimatiser les utilitaires électriques.",
        "Opladning og forklimatisering af elektriske varebiler.",
        "Laden und Vorklimatisieren elektrischer Transporter.",
    ),
    [
        ArticleContent(
            "ecell-questions",
            t(
                "Who do I ask about my eCell vehicle?",
                "À qui m'adresser pour une question sur mon véhicule eCell ?",
                "Hvem spørger jeg om mit eCell-køretøj?",
                "An wen wende ich mich mit Fragen zu meinem eCell-Fahrzeug?",
            ),
            t(
                "For the charging infrastructure at your premises, contact the supplier of your wallbox. "
                "If you got your wallbox through Mercedes-Benz, your Mercedes-Benz service partner is the "
                "one to ask: [find a dealer](page:help:dealers).\n\n"
                "For questions about your connected services, see this help centre or ask your dealer.",
                "Pour l'infrastructure de recharge installée chez vous, contactez le fournisseur de votre "
                "wallbox. Si vous avez obtenu votre wallbox par Mercedes-Benz, adressez-vous à votre "
                "partenaire de service Mercedes-Benz : [trouver un concessionnaire](page:help:dealers).\n\n"
                "Pour les questions sur vos services connectés, consultez ce centre d'aide ou demandez à "
                "votre concessionnaire.",
                "Kontakt leverandøren af din wallbox ved spørgsmål om ladeinfrastrukturen hos dig. Har du "
                "fået din wallbox gennem Mercedes-Benz, er det din Mercedes-Benz servicepartner, du skal "
                "spørge: [find en forhandler](page:help:dealers).\n\n"
                "Svar på spørgsmål om dine opkoblede tjenester finder du her i hjælpecentret, eller du "
                "kan spørge din forhandler.",
                "Bei Fragen zur Ladeinfrastruktur an Ihrem Standort wenden Sie sich an den Anbieter Ihrer "
                "Wallbox. Haben Sie die Wallbox über Mercedes-Benz bezogen, ist Ihr Mercedes-Benz "
                "Servicepartner der richtige Ansprechpartner: [Händler finden](page:help:dealers).\n\n"
                "Fragen zu Ihren vernetzten Diensten beantwortet dieses Hilfe-Center oder Ihr Händler.",
            ),
        ),
        ArticleContent(
            "charging",
            t(
                "How do I charge my eCell vehicle?",
                "Comment recharger mon véhicule eCell ?",
                "Hvordan oplader jeg mit eCell-køretøj?",
                "Wie lade ich mein eCell-Fahrzeug?",
            ),
            t(
                "Charging works when all of these are true:\n\n"
                "- there is enough time for the battery to charge fully;\n"
                "- the charging plug is inserted properly, locked and connected to the charging station "
                "or wallbox;\n"
                "- the bonnet is closed;\n"
                "- the gear selector is in P;\n"
                "- you have identified yourself at the charging station with your RFID card, where it "
                "asks for one.",
                "La recharge fonctionne lorsque toutes ces conditions sont réunies :\n\n"
                "- le temps disponible suffit à recharger complètement la batterie ;\n"
                "- la fiche de recharge est correctement insérée, verrouillée et reliée à la borne ou à "
                "la wallbox ;\n"
                "- le capot est fermé ;\n"
                "- le sélecteur de vitesses est sur P ;\n"
                "- vous vous êtes identifié à la borne avec votre carte RFID, lorsqu'elle le demande.",
                "Opladningen fungerer, når alt dette er opfyldt:\n\n"
                "- der er tid nok til, at batteriet kan lades helt op;\n"
                "- ladestikket sidder korrekt, er låst og er forbundet med ladestanderen eller "
                "wallboxen;\n"
                "- motorhjelmen er lukket;\n"
                "- gearvælgeren står i P;\n"
                "- du har identificeret dig på ladestanderen med dit RFID-kort, hvis den beder om det.",
                "Das Laden funktioniert, wenn all dies erfüllt ist:\n\n"
                "- es bleibt genug Zeit, um die Batterie vollständig zu laden;\n"
                "- der Ladestecker steckt richtig, ist verriegelt und mit der Ladestation oder Wallbox "
                "verbunden;\n"
                "- die Motorhaube ist geschlossen;\n"
                "- der Wählhebel steht auf P;\n"
                "- Sie haben sich an der Ladesäule mit Ihrer RFID-Karte angemeldet, sofern sie danach "
                "fragt.",
            ),
        ),
        ArticleContent(
            "pre-conditioning",
            t(
                "How do I pre-condition my eCell vehicle before setting off?",
                "Comment préclimatiser mon véhicule eCell avant le départ ?",
                "Hvordan forklimatiserer jeg mit eCell-køretøj før afgang?",
                "Wie klimatisiere ich mein eCell-Fahrzeug vor der Abfahrt vor?",
            ),
            t(
                "Pre-conditioning runs only when all of these are true:\n\n"
                "- pre-conditioning is switched on and a departure time is set;\n"
                "- all doors and windows are closed;\n"
                "- the bonnet is closed;\n"
                "- the gear selector is in P;\n"
                "- the charging cable is plugged in properly, locked and connected to the charging "
                "station (when charging elsewhere than on your own wallbox, pre-conditioning may be "
                "weaker);\n"
                "- the temperature set for the cab differs from the outside temperature (if they are the "
                "same, nothing happens);\n"
                "- the battery is charged above 15 %.",
                "La préclimatisation ne fonctionne que si toutes ces conditions sont réunies :\n\n"
                "- la préclimatisation est activée et une heure de départ est définie ;\n"
                "- toutes les portes et vitres sont fermées ;\n"
                "- le capot est fermé ;\n"
                "- le sélecteur de vitesses est sur P ;\n"
                "- le câble de recharge est correctement branché, verrouillé et relié à la borne (en "
                "dehors de votre propre wallbox, la préclimatisation peut être moins puissante) ;\n"
                "- la température réglée pour l'habitacle diffère de la température extérieure (si elles "
                "sont identiques, rien ne se passe) ;\n"
                "- la batterie est chargée à plus de 15 %.",
                "Forklimatiseringen kører kun, når alt dette er opfyldt:\n\n"
                "- forklimatiseringen er slået til, og et afgangstidspunkt er indstillet;\n"
                "- alle døre og vinduer er lukket;\n"
                "- motorhjelmen er lukket;\n"
                "- gearvælgeren står i P;\n"
                "- ladekablet sidder korrekt, er låst og er forbundet med ladestanderen (lader du et "
                "andet sted end på din egen wallbox, kan forklimatiseringen være svagere);\n"
                "- den temperatur, der er indstillet i kabinen, er forskellig fra udetemperaturen (er de "
                "ens, sker der intet);\n"
                "- batteriet er ladet over 15 %.",
                "Die Vorklimatisierung läuft nur, wenn all dies erfüllt ist:\n\n"
                "- die Vorklimatisierung ist eingeschaltet und eine Abfahrtszeit ist eingestellt;\n"
                "- alle Türen und Fenster sind geschlossen;\n"
                "- die Motorhaube ist geschlossen;\n"
                "- der Wählhebel steht auf P;\n"
                "- das Ladekabel steckt richtig, ist verriegelt und mit der Ladestation verbunden "
                "(außerhalb Ihrer eigenen Wallbox kann die Vorklimatisierung schwächer ausfallen);\n"
                "- die für den Innenraum eingestellte Temperatur unterscheidet sich von der "
                "Außentemperatur (sind beide gleich, passiert nichts);\n"
                "- die Batterie ist zu mehr als 15 % geladen.",
            ),
        ),
    ],
)

CATEGORIES = [
    GENERAL,
    GETTING_STARTED,
    COMMUNICATION_MODULE,
    DRIVER_APP,
    VEHICLE_MANAGEMENT_TOOL,
    CONTRACT_LEGAL_ROLES,
    ECELL,
]


def load(apps=None) -> int:
    """Adds the categories, articles and translations above that the database lacks; returns how
    many rows it created. Existing rows are left as they are (staff may have edited them).

    `apps` is the migration state's registry inside a data migration, else the live one. A few
    queries whatever the content size: it reads what exists, then bulk-creates the rest."""
    from django.apps import apps as live_apps
    from django.db.models import Q

    from .indexing import refresh

    registry = apps or live_apps
    Category = registry.get_model("helpcentre", "Category")
    CategoryTranslation = registry.get_model("helpcentre", "CategoryTranslation")
    Article = registry.get_model("helpcentre", "Article")
    ArticleTranslation = registry.get_model("helpcentre", "ArticleTranslation")

    created = 0
    categories = {c.slug: c for c in Category.objects.all()}
    new = [
        Category(slug=content.slug, sort_order=(index + 1) * 10)
        for index, content in enumerate(CATEGORIES)
        if content.slug not in categories
    ]
    if new:
        Category.objects.bulk_create(new)
        created += len(new)
        categories = {c.slug: c for c in Category.objects.all()}

    have = set(CategoryTranslation.objects.values_list("category__slug", "language"))
    new = [
        CategoryTranslation(
            category=categories[content.slug],
            language=language,
            title=content.title[language],
            description=content.description[language],
        )
        for content in CATEGORIES
        for language in LANGUAGES
        if (content.slug, language) not in have
    ]
    CategoryTranslation.objects.bulk_create(new)
    created += len(new)

    articles = {a.slug: a for a in Article.objects.all()}
    new = [
        Article(category=categories[content.slug], slug=article.slug, sort_order=(index + 1) * 10)
        for content in CATEGORIES
        for index, article in enumerate(content.articles)
        if article.slug not in articles
    ]
    if new:
        Article.objects.bulk_create(new)
        created += len(new)
        articles = {a.slug: a for a in Article.objects.all()}

    have = set(ArticleTranslation.objects.values_list("article__slug", "language"))
    new = [
        ArticleTranslation(
            article=articles[article.slug],
            language=language,
            question=article.question[language],
            answer=article.answer[language],
        )
        for content in CATEGORIES
        for article in content.articles
        for language in LANGUAGES
        if (article.slug, language) not in have
    ]
    if new:
        ArticleTranslation.objects.bulk_create(new)
        created += len(new)
        refresh(ArticleTranslation.objects.filter(Q(answer_plain="") | Q(search_vector__isnull=True)))
    return created
