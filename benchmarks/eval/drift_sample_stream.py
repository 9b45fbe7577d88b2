#!/usr/bin/env python3
"""Writes data/samples/stream.jsonl: eight weeks of timestamped tickets with
one injected emerging issue in the last two weeks, built only from text
written for the project (the sample tickets of data/samples/tickets.jsonl and
the hand-written variations below). Deterministic: the same script gives the
same file.

    python3 benchmarks/eval/drift_sample_stream.py > data/samples/stream.jsonl

Stream: 2026-09-28 (a Monday) to 2026-11-22, about 40 ordinary tickets a
week drawn from the same mix in every week (weekdays busier, office hours
busier), plus the emerging issue: the Brightdesk mobile app 6.0 update
leaves the app stuck on its loading screen or failing to sync with error
E-601, written in five languages, 12 tickets in week 7 and 26 in week 8.
Each record: {"id","created_at","channel","text","origin"}; origin is
"sample" (a ticket of tickets.jsonl), "variation" (a template below) or
"injected" (the emerging issue), for evaluation only: the tools never read it.
"""
import datetime as dt
import json
import pathlib
import random

ROOT = pathlib.Path(__file__).resolve().parents[2]
START = dt.datetime(2026, 9, 28, tzinfo=dt.timezone.utc)
WEEKS = 8
PER_WEEK = 40

# Hand-written variations of everyday tickets. Slots: {order}, {amount},
# {eur}, {days}, {item}, {inv}, {ver}, {ticket}.
VARIATIONS = [
    # account
    "Can't sign in since yesterday, it keeps saying my password is wrong even after a reset.",
    "I never get the password reset email. Checked spam too. Please help.",
    "Locked out of my account after too many attempts, how long do I have to wait?",
    "Lost my phone with the authenticator app on it, how do I get back into my account?",
    "how do i change the email address on my account? the old one doesn't exist anymore",
    "Please delete my account, I don't use the service anymore.",
    "No puedo iniciar sesión, me dice que la contraseña es incorrecta aunque la cambié ayer.",
    "Ich komme nicht mehr in mein Konto, der Bestätigungscode kommt nie an.",
    "Je n'arrive pas à réinitialiser mon mot de passe, le lien a expiré.",
    "Não consigo entrar na minha conta, diz que o e-mail não está cadastrado.",
    # billing
    "I was charged twice for order {order}, {amount} each. Please refund one of them.",
    "Why is my invoice {inv} higher than last month? Nobody told us about a price change.",
    "My card was declined at checkout but the money still left my account.",
    "Can I get an invoice with our company VAT number on it for order {order}?",
    "The promo code doesn't work at checkout, it says invalid.",
    "I cancelled my plan last month but was billed again today. Please refund {amount}.",
    "Me cobraron dos veces el pedido {order}. ¿Cuándo me devuelven el dinero?",
    "Ich habe eine Rechnung über {eur} bekommen, obwohl ich gekündigt habe.",
    "On m'a prélevé {eur} deux fois ce mois-ci, merci de corriger.",
    "Fui cobrado duas vezes pelo pedido {order}, quero o reembolso.",
    # orders and delivery
    "Where is my order {order}? It was supposed to arrive {days} days ago.",
    "Tracking hasn't updated in {days} days, is my parcel lost?",
    "The parcel says delivered but I never got it. Order {order}.",
    "Can I still change the delivery address for {order}? I gave the old one by mistake.",
    "my order {order} still says processing after {days} days, when will it ship?",
    "Only half of my order arrived, the {item} is missing.",
    "Mi pedido {order} no ha llegado y ya pasaron {days} días.",
    "Meine Bestellung {order} ist immer noch nicht da. Wo bleibt sie?",
    "Ma commande {order} n'est toujours pas arrivée, pouvez-vous vérifier ?",
    "Meu pedido {order} ainda não chegou, já faz {days} dias.",
    # returns and refunds
    "I sent the {item} back {days} days ago and still no refund.",
    "The {item} arrived broken. Can I get a replacement?",
    "How do I return the {item}? It's the wrong size.",
    "Received the wrong colour of {item}, order {order}. I want an exchange.",
    "Quiero devolver las zapatillas, no me quedan bien.",
    "Die Lampe war beschädigt, ich möchte mein Geld zurück.",
    "J'ai renvoyé le colis il y a {days} jours, toujours pas de remboursement.",
    "Quero devolver o produto, veio com defeito.",
    # technical issues
    "The export to CSV gives an empty file again.",
    "Reports page shows an error 500 when I filter by date.",
    "Attachments over 10 MB fail to upload in the web app.",
    "Email notifications stopped arriving for new tickets assigned to me.",
    "The desktop app {ver} freezes when I search for a customer.",
    "Der Export als PDF funktioniert nicht, es kommt nur eine leere Seite.",
    "La búsqueda no encuentra tickets antiguos, solo los de esta semana.",
    # outage
    "Is the site down? I get a 503 on every page.",
    "Dashboard not loading for anyone in our team, is there an outage?",
    "Checkout has been failing for the last hour, customers can't pay.",
    # how-to
    "How do I add a colleague to our workspace?",
    "Where can I set up an automatic reply for weekends?",
    "How can I merge two tickets from the same customer?",
    "Is there a way to export all tickets of last year?",
    "¿Cómo puedo cambiar el idioma del panel a español?",
    "Wie kann ich eine Vorlage für Antworten anlegen?",
    "Comment ajouter une signature à mes réponses ?",
    # feedback
    "Just wanted to say thanks, the support chat solved my problem in five minutes.",
    "Love the new reporting page, much clearer than before!",
    "The delivery was fast and the {item} is great, thank you.",
    "Muchas gracias por la ayuda, todo resuelto.",
    "Super Service, vielen Dank für die schnelle Antwort!",
    "Merci beaucoup, tout fonctionne maintenant.",
    "Obrigado pelo atendimento rápido!",
    # privacy and security
    "I got an email about a login from a country I've never been to. Was my account hacked?",
    "Please send me all the data you store about me.",
    "Someone placed an order with my account that I didn't make: {order}.",
    # sales
    "Do you offer discounts for non-profits?",
    "What's the difference between the Starter and Pro plans?",
    "Can we get a demo for a team of 30 agents?",
    "¿Hacen envíos a Chile?",
    # out of scope
    "what time is it in Tokyo right now",
    "can you tell me a joke",
    "test",
]

# The emerging issue: the mobile app 6.0 update. Written for the project in
# five languages; slots {phone} and {os}.
INJECTED = [
    "Since updating the Brightdesk app to 6.0 it is stuck on the loading screen. {phone}, {os}.",
    "After the 6.0 update the mobile app shows 'Sync failed (E-601)' and no tickets load.",
    "App 6.0 won't get past the splash screen. Reinstalled twice, same thing. {phone}.",
    "Updated to version 6.0 this morning and now the app just spins forever. Our agents can't work from their phones.",
    "Sync failed E-601 on every phone in our team since the 6.0 update. Please fix asap.",
    "The new app update (6.0) broke everything: endless loading, then error E-601.",
    "Brightdesk 6.0 on {os}: the inbox stays empty and says sync failed. Web version works fine.",
    "Is there a way to go back to the previous app version? 6.0 is stuck loading on my {phone}.",
    "app v6.0 stuck on loading screen after update, error code E-601. tried logging out and in",
    "Since yesterday's update to 6.0 I can't open any ticket on mobile, it says sync failed.",
    "Desde que actualicé la app a la versión 6.0 se queda cargando y muestra el error E-601.",
    "La aplicación 6.0 no sincroniza, sale 'Sync failed (E-601)' en mi {phone}.",
    "Seit dem Update auf 6.0 hängt die App auf dem Ladebildschirm fest. {phone}, {os}.",
    "Nach dem App-Update 6.0 kommt nur noch 'Sync failed E-601'. Bitte dringend beheben.",
    "Depuis la mise à jour 6.0, l'application reste bloquée sur l'écran de chargement.",
    "L'appli 6.0 affiche l'erreur E-601 et aucun ticket ne se charge sur mon {phone}.",
    "Depois da atualização para a versão 6.0 o aplicativo fica travado na tela de carregamento.",
    "O app 6.0 mostra 'Sync failed (E-601)' e não carrega nenhum ticket.",
]

ORDERS = ["ORD-{}".format(n) for n in (100418, 100977, 101203, 101846, 102331, 102790, 103055,
                                         103512, 104006, 104487)] + \
         ["#A-{}".format(n) for n in (21044, 33870, 41215, 52906, 60318)]
AMOUNTS = ["$19.99", "$34.50", "$49.99", "$89.00", "$129.00"]
EUROS = ["19,99 €", "34,90 €", "49,00 €", "59,90 €", "120,00 €"]
ITEMS_EN = ["jacket", "sneakers", "blue mug", "desk lamp", "headphones", "linen shirt"]
ITEMS = {"default": ITEMS_EN}
INVOICES = ["INV-2026-0{}".format(n) for n in (712, 745, 803, 861, 902)]
VERSIONS = ["2.14.7", "2.15.0", "2.15.2"]
PHONES = ["Pixel 8", "iPhone 15", "Galaxy S23", "iPhone 13", "Moto G84"]
OSES = ["Android 14", "iOS 18.1", "Android 13", "iOS 17.6"]
CHANNELS = ["email", "chat", "web"]


def fill(template, rng):
    item = rng.choice(ITEMS_EN)
    return template.format(order=rng.choice(ORDERS), amount=rng.choice(AMOUNTS),
                           eur=rng.choice(EUROS), days=rng.randint(3, 12), item=item,
                           inv=rng.choice(INVOICES), ver=rng.choice(VERSIONS),
                           ticket="#T-{}".format(rng.randint(6100, 6999)),
                           phone=rng.choice(PHONES), os=rng.choice(OSES))


def time_in_week(week, rng):
    # Weekdays carry most traffic; office hours most of the day's.
    day = rng.choices(range(7), weights=[18, 17, 17, 16, 15, 9, 8])[0]
    hour = rng.choices(range(24), weights=[1, 1, 1, 1, 1, 2, 3, 5, 8, 9, 9, 8, 7, 8, 9, 9, 8,
                                           7, 5, 4, 3, 2, 2, 1])[0]
    return START + dt.timedelta(weeks=week, days=day, hours=hour, minutes=rng.randrange(60),
                                seconds=rng.randrange(60))


def main():
    rng = random.Random(20261128)
    samples = [json.loads(l) for l in (ROOT / "data/samples/tickets.jsonl").open(encoding="utf-8")
               if l.strip()]
    records = []
    # Every sample ticket once, at a random time in the eight weeks.
    for s in samples:
        week = rng.randrange(WEEKS)
        records.append({"time": time_in_week(week, rng), "channel": s["channel"],
                        "text": s["text"], "origin": "sample"})
    # Variations fill each week up to PER_WEEK ordinary tickets.
    per_week = [0] * WEEKS
    for r in records:
        per_week[(r["time"] - START).days // 7] += 1
    for week in range(WEEKS):
        for _ in range(max(0, PER_WEEK - per_week[week])):
            records.append({"time": time_in_week(week, rng), "channel": rng.choice(CHANNELS),
                            "text": fill(rng.choice(VARIATIONS), rng), "origin": "variation"})
    # The emerging issue: week 7 (index 6) and week 8 (index 7).
    for week, count in ((6, 12), (7, 26)):
        for i in range(count):
            template = INJECTED[(i * 7 + week) % len(INJECTED)] if i < len(INJECTED) else \
                rng.choice(INJECTED)
            records.append({"time": time_in_week(week, rng),
                            "channel": rng.choice(["chat", "email", "web", "chat"]),
                            "text": fill(template, rng), "origin": "injected"})
    records.sort(key=lambda r: r["time"])
    for i, r in enumerate(records, 1):
        out = {"id": "S-{:04d}".format(i),
               "created_at": r["time"].strftime("%Y-%m-%dT%H:%M:%SZ"),
               "channel": r["channel"], "text": r["text"], "origin": r["origin"]}
        print(json.dumps(out, ensure_ascii=False, separators=(",", ":")))


if __name__ == "__main__":
    main()
