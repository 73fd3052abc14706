#!/usr/bin/env python3
"""Generate Vigil's token-classification (NER / ADR span) fixtures: tiny random-weight ONNX
BertForTokenClassification models plus the transformers `token-classification` pipeline outputs
the Rust tests compare against.

Run from the repository root, in the same venv as tools/make_fixtures.py (whose helpers it imports):
    python tools/make_span_fixtures.py
"""
import json
import random
import shutil
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fixtures as mf  # noqa: E402  (also sets HF_HUB_OFFLINE=1)

import numpy as np  # noqa: E402
import tokenizers  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from tokenizers import BertWordPieceTokenizer  # noqa: E402
from transformers import AutoTokenizer, BertConfig, BertForTokenClassification, BertTokenizer, pipeline  # noqa: E402

FIXTURES = mf.FIXTURES
SEED = mf.SEED + 100
HEAD_STD = 0.5
NON_O_TARGET = 0.45  # fraction of reference tokens whose argmax is not "O"
STRIDE = 16
STRIDE_MODEL = "bert-ner-bio"
STRATEGIES = ["none", "simple", "first", "average", "max"]
MIN_MARGIN = 1e-4  # smallest allowed top-1 / top-2 probability gap, so ORT-vs-torch noise (~5e-6 in logits) flips no label

BIO = ["O", "B-ADR", "I-ADR", "B-DRUG", "I-DRUG"]
PLAIN = ["O", "ADR", "DRUG"]
ENTITY_TYPES = {"ADR", "DRUG"}
ATTEMPTS = 20  # seeds tried per model before giving up; the first seed whose outputs pass every check wins


class Unlucky(AssertionError):
    """These random weights give the Rust tests too little to check (or a near-tie); try the next seed."""


def need(condition, message):
    if not condition:
        raise Unlucky(message)

# name -> (labels, cased tokenizer?, max_position_embeddings / model_max_length)
MODELS = {
    "bert-ner-bio": (BIO, False, 64),
    "bert-ner-cased": (BIO, True, 128),
    "bert-ner-plain": (PLAIN, False, 128),
}

LONG = (
    "Follow-up report: a 71-year-old man treated with warfarin and digoxin developed bradycardia, blurred "
    "vision, vomiting and confusion ten days after amiodarone was added. His INR rose to 7.8 and he had gum "
    "bleeding and bruising on both arms. Digoxin and warfarin were withheld and vitamin K was given. The "
    "reporter judged the digoxin toxicity probably caused by the amiodarone interaction."
)
TEXTS = [
    "A 54-year-old woman developed a severe rash and angioedema two days after starting amoxicillin.",
    "Patient reported headache, nausea and dizziness after the first dose of sumatriptan.",
    "Grade 3 neutropenia and febrile neutropenia occurred following docetaxel infusion.",
    "Hepatotoxicity with elevated transaminases was attributed to isoniazid and rifampicin.",
    "Patiënte développa une hépatite après amoxicilline",
    "😷 rash and 🤢 nausea after ibuprofen",
    "服用阿莫西林后出现皮疹 and rash",
    "  Nausea\tand   vomiting\n\nafter    the second\t\tcycle of cisplatin \r\n ",
    "Severe itching🔥rash after penicillin 💊 and urticaria😖 with ceftriaxone",
    # NFD accents (e + U+0301). Uncased, "médical" becomes the single token "medical" whose text is one
    # character longer, so the pipeline calls it a subword and first/average/max glue it to "needed".
    "Cafe\u0301ine-induced tachycardia needed me\u0301dical care; the patient's SUSPECTED DRUG-INDUCED LIVER "
    "INJURY after valproate.",
    "Rash [SEP] after [UNK] dose of naproxen",  # literal special-token strings are ordinary input tokens
    "Anaphylaxis",
    "",
    LONG,
]
LONG_INDEX = TEXTS.index(LONG)

# Self-written pharmacovigilance prose for training the cased WordPiece vocabulary.
CORPUS = """
The patient developed a maculopapular rash three days after starting amoxicillin for otitis media.
Amoxicillin was discontinued and the rash resolved within a week without further treatment.
A 45-year-old woman receiving methotrexate for rheumatoid arthritis presented with mouth ulcers and pancytopenia.
Methotrexate toxicity was suspected because she had taken the weekly dose daily by mistake.
Folinic acid rescue was given and her blood counts recovered over ten days.
An elderly man on warfarin was admitted with melaena after a course of clarithromycin.
His INR was 9.2 on admission; warfarin was withheld and vitamin K was administered.
The reporter considered the interaction between warfarin and clarithromycin to be probable.
Following the second infusion of rituximab the patient experienced fever, rigors and hypotension.
The infusion was stopped, and paracetamol, chlorphenamine and hydrocortisone were given.
Symptoms resolved within two hours and the infusion was restarted at half the rate.
Severe hypoglycaemia occurred in a 78-year-old woman taking gliclazide after she developed acute kidney injury.
Lactic acidosis was reported in a patient on metformin with sepsis and renal impairment.
Metformin was stopped on admission and haemodialysis was started.
QT prolongation and torsade de pointes were observed after intravenous haloperidol.
The ECG showed a QTc of 560 ms, and magnesium sulfate was given.
A child developed Stevens-Johnson syndrome after carbamazepine was started for epilepsy.
Carbamazepine was withdrawn, and the child was treated in a specialist burns unit.
HLA-B*15:02 testing was positive, and lamotrigine was avoided as an alternative.
Angioedema of the lips and tongue occurred one month after starting lisinopril.
Lisinopril was replaced by amlodipine, and the swelling did not recur.
Drug-induced liver injury with jaundice and raised transaminases followed treatment with isoniazid.
Isoniazid and rifampicin were stopped; liver enzymes normalised over six weeks.
Rhabdomyolysis with myalgia and dark urine was reported in a man taking simvastatin and gemfibrozil.
Creatine kinase peaked at 52,000 U/L and renal function deteriorated.
The statin was discontinued, and intravenous fluids were given.
Neutropenic fever developed on day nine of the first cycle of docetaxel.
Docetaxel was delayed, and filgrastim was added to subsequent cycles.
A 30-year-old woman reported severe nausea, vomiting and dizziness after a single dose of tramadol.
Serotonin syndrome with agitation, tremor, hyperthermia and clonus followed the addition of linezolid to sertraline.
Sertraline was stopped, and cyproheptadine was given with benzodiazepines.
Hyperkalaemia was detected in an elderly patient taking spironolactone with ramipril.
Potassium was 6.8 mmol/L; spironolactone was withdrawn and the potassium returned to normal.
Anaphylaxis with bronchospasm, urticaria and hypotension occurred minutes after intravenous ceftriaxone.
Adrenaline was given intramuscularly, and the patient recovered fully.
Tendon rupture of the Achilles tendon was reported after ciprofloxacin in a patient also taking prednisolone.
Peripheral neuropathy with numbness and tingling developed during treatment with oxaliplatin.
Ototoxicity and nephrotoxicity were observed after high-dose cisplatin.
Gentamicin levels were high and the patient developed vestibular toxicity.
Pancreatitis was reported two months after starting azathioprine for Crohn's disease.
Azathioprine was stopped and the abdominal pain resolved.
Interstitial lung disease with cough and dyspnoea was suspected after treatment with amiodarone.
Thrombocytopenia was observed after heparin, and heparin-induced thrombocytopenia was confirmed.
Heparin was replaced by argatroban and the platelet count recovered.
Hyponatraemia with confusion occurred in an elderly woman taking citalopram and a thiazide diuretic.
Bradycardia and heart block followed the combination of verapamil and metoprolol.
Digoxin toxicity with visual disturbance, nausea and arrhythmia was reported in a patient with renal failure.
Aplastic anaemia was reported after chloramphenicol eye drops, although causality was considered unlikely.
Agranulocytosis developed after clozapine, and clozapine was permanently discontinued.
Myocarditis with chest pain and raised troponin occurred after clozapine titration.
Hepatitis with fatigue, jaundice and pruritus was reported after flucloxacillin.
Cholestatic jaundice following amoxicillin-clavulanate was reported in a 67-year-old man.
Photosensitivity reactions occurred with doxycycline during a summer holiday.
Oesophageal ulceration followed doxycycline taken at bedtime without water.
Gynaecomastia was reported in a man taking spironolactone for heart failure.
Weight gain and hyperglycaemia developed during olanzapine treatment.
Tardive dyskinesia appeared after long-term metoclopramide.
Extrapyramidal symptoms with acute dystonia occurred after a single dose of metoclopramide.
Osteonecrosis of the jaw was reported after intravenous zoledronic acid.
Atypical femoral fracture was reported after long-term alendronate.
Progressive multifocal leukoencephalopathy occurred during natalizumab therapy.
Infusion reactions with flushing and back pain were reported with infliximab.
Tuberculosis reactivation was diagnosed after infliximab was started.
Hypothyroidism developed after treatment with lithium and amiodarone.
Lithium toxicity with tremor, ataxia and confusion followed the addition of ibuprofen.
Acute kidney injury occurred after ibuprofen in a dehydrated patient taking furosemide and ramipril.
Gastrointestinal bleeding with haematemesis was reported after naproxen and aspirin.
Aspirin-exacerbated respiratory disease with wheezing followed the first tablet.
Respiratory depression and sedation were reported after morphine in an elderly patient.
Constipation and urinary retention followed oxycodone.
Opioid withdrawal was precipitated by naloxone in a patient on methadone.
Hypersensitivity to abacavir with fever, rash and gastrointestinal symptoms was reported.
Lactic acidosis and peripheral neuropathy were reported with stavudine.
Vaccine recipients reported injection-site pain, fever, headache and fatigue.
Febrile seizures were reported after measles vaccination in a toddler.
Guillain-Barré syndrome was reported three weeks after influenza vaccination.
Le patient a présenté une éruption cutanée après l'amoxicilline.
Une hépatite médicamenteuse a été rapportée après le paracétamol.
La patiente a développé une réaction allergique sévère après la céfazoline.
Der Patient entwickelte nach Ibuprofen eine akute Nierenschädigung.
Patiënte kreeg huiduitslag na gebruik van amoxicilline.
Fièvre, frissons et hypotension après la perfusion de rituximab.
Diarrhée sévère et colite à Clostridioides difficile après clindamycine.
Réaction d'hypersensibilité avec œdème de Quincke sous énalapril.
Toxicité hépatique sévère après surdosage de paracétamol chez une adolescente.
The reaction was assessed as serious because it required hospitalisation.
Causality was assessed as probable using the WHO-UMC system.
The event was unlabelled and the report was forwarded to the regulatory authority.
Positive dechallenge was observed; rechallenge was not performed.
Concomitant medications included omeprazole, atorvastatin, bisoprolol and levothyroxine.
No other suspected drugs were reported, and the patient had no known allergies.
The case was reported by a pharmacist and confirmed by the treating physician.
A 62-year-old man with Parkinson's disease developed visual hallucinations after the dose of levodopa was increased.
Impulse control disorder with pathological gambling was reported during pramipexole therapy.
Neuroleptic malignant syndrome with rigidity, fever and autonomic instability followed haloperidol injection.
Creatine kinase was markedly raised and dantrolene was administered in intensive care.
Hypertensive crisis occurred when a patient on phenelzine ate aged cheese.
Priapism was reported after trazodone was started for insomnia.
Galactorrhoea and amenorrhoea developed during risperidone treatment, with a raised prolactin.
Orthostatic hypotension and falls were reported in an elderly woman after doxazosin was added.
Angle-closure glaucoma with eye pain and blurred vision followed topiramate.
Kidney stones were reported during long-term topiramate therapy.
Hirsutism and gingival hyperplasia occurred with phenytoin.
Phenytoin levels were toxic, with nystagmus, ataxia and slurred speech.
Valproate was associated with hyperammonaemic encephalopathy in a young adult.
Neural tube defects were reported after valproate exposure during pregnancy.
Ebstein's anomaly was reported in an infant exposed to lithium in the first trimester.
Neonatal withdrawal syndrome occurred after maternal use of paroxetine.
Fetal renal impairment was reported after maternal exposure to an ACE inhibitor in the third trimester.
Grey baby syndrome is a historical reaction to chloramphenicol in neonates.
Red man syndrome with flushing and pruritus followed rapid infusion of vancomycin.
Vancomycin trough concentrations were high and serum creatinine doubled.
Nephrotoxicity was attributed to amphotericin B, and the liposomal formulation was substituted.
Hypomagnesaemia was found after prolonged use of omeprazole.
Clostridioides difficile infection followed a course of co-amoxiclav in a nursing home resident.
Fulminant colitis required colectomy after clindamycin.
Disulfiram-like reaction with flushing and palpitations followed alcohol intake during metronidazole.
Peripheral neuropathy was also reported with prolonged metronidazole.
Hearing loss and tinnitus followed intravenous furosemide given too quickly.
Gout flare occurred after bendroflumethiazide was started.
Dry cough developed after enalapril, and the patient was switched to losartan.
Hyperkalaemia recurred with losartan in the presence of chronic kidney disease.
Ankle oedema and flushing were reported with nifedipine.
Gingival overgrowth was also noted with nifedipine.
Bronchospasm was provoked by propranolol in a patient with asthma.
Cold extremities and fatigue were reported with atenolol.
Bleeding complications were reported with apixaban, rivaroxaban and dabigatran.
A subdural haematoma was diagnosed in an elderly man taking rivaroxaban after a fall.
Idarucizumab was given to reverse dabigatran before emergency surgery.
Skin necrosis appeared on the thigh during the first days of warfarin therapy.
Purple toe syndrome was described after several weeks of warfarin.
Hair loss and mouth ulcers were reported with methotrexate and leflunomide.
Pulmonary fibrosis was reported after bleomycin in a young man with testicular cancer.
Cardiomyopathy with reduced ejection fraction occurred after doxorubicin.
Trastuzumab was interrupted because of a fall in left ventricular ejection fraction.
Hand-foot syndrome with painful erythema of the palms followed capecitabine.
Severe diarrhoea and neutropenia occurred with irinotecan in a patient with UGT1A1 deficiency.
Fatal toxicity after fluorouracil was linked to dihydropyrimidine dehydrogenase deficiency.
Haemorrhagic cystitis was reported after cyclophosphamide without mesna.
Tumour lysis syndrome with hyperuricaemia followed the first dose of venetoclax.
Immune-related colitis occurred after ipilimumab and nivolumab.
Pembrolizumab was followed by hypothyroidism and later by type 1 diabetes.
Pneumonitis with cough and hypoxia was diagnosed during pembrolizumab treatment.
Cytokine release syndrome was observed within hours of the CAR-T infusion.
Injection-site reactions were reported with adalimumab and etanercept.
Demyelination was reported during anti-TNF therapy.
Psoriasiform rash developed during treatment with infliximab for ulcerative colitis.
Herpes zoster reactivation was reported with tofacitinib.
Venous thromboembolism was reported in a patient taking tofacitinib and oral contraceptives.
Deep vein thrombosis and pulmonary embolism were reported with the combined oral contraceptive pill.
Breakthrough bleeding occurred after rifampicin reduced the efficacy of the contraceptive implant.
Orange discolouration of urine and tears was reported with rifampicin.
Optic neuritis with reduced colour vision followed ethambutol.
Arthralgia and hyperuricaemia were reported with pyrazinamide.
Hypoglycaemia followed the addition of fluconazole to glimepiride.
Ketoacidosis with normal glucose was reported after dapagliflozin.
Genital mycotic infections were reported with empagliflozin and canagliflozin.
Acute pancreatitis was reported after exenatide and liraglutide.
Nausea, vomiting and weight loss were reported with semaglutide.
Fluid retention and heart failure followed pioglitazone.
Bladder cancer was discussed as a possible risk with pioglitazone.
Vitamin B12 deficiency was found after many years of metformin.
Osteoporosis and vertebral fractures were reported after long-term prednisolone.
Steroid-induced psychosis with agitation developed on high-dose dexamethasone.
Adrenal crisis occurred after abrupt withdrawal of hydrocortisone.
Cushingoid features followed potent topical corticosteroids applied under occlusion.
Hypercalcaemia was reported with high-dose colecalciferol.
Iron overload was reported after repeated iron infusions.
Hypophosphataemia followed ferric carboxymaltose.
Thrombotic thrombocytopenic purpura was reported after clopidogrel.
Bleeding gums and epistaxis were reported with ticagrelor, and dyspnoea was also noted.
Muscle cramps and elevated creatine kinase were reported with rosuvastatin.
Memory complaints were reported with atorvastatin but causality was unclear.
Nightmares and vivid dreams were reported with montelukast in a child.
Tremor and tachycardia followed nebulised salbutamol.
Oral candidiasis developed with inhaled fluticasone.
Paradoxical bronchospasm followed the first use of the inhaler.
Dependence and withdrawal seizures were reported after stopping diazepam abruptly.
Falls and hip fracture occurred in an elderly woman taking zopiclone.
Complex sleep behaviours were reported with zolpidem.
Suicidal ideation was reported in an adolescent after starting fluoxetine.
Sexual dysfunction persisted after discontinuation of finasteride.
Hyperprolactinaemia was reported with amisulpride.
Sialorrhoea and constipation were reported with clozapine; ileus was fatal in one case.
Ocular toxicity with retinopathy was reported after long-term hydroxychloroquine.
QT prolongation was also reported with hydroxychloroquine and azithromycin.
Myasthenic crisis was precipitated by gentamicin in a woman with myasthenia gravis.
Seizures were reported after high doses of tramadol and bupropion.
Serotonin toxicity followed the combination of tramadol and venlafaxine.
Hyponatraemia was reported with carbamazepine and oxcarbazepine.
Drug reaction with eosinophilia and systemic symptoms followed allopurinol.
Allopurinol hypersensitivity was associated with HLA-B*58:01.
Fixed drug eruption recurred at the same site after each dose of co-trimoxazole.
Hyperkalaemia was reported with co-trimoxazole in an elderly patient.
Acute generalised exanthematous pustulosis followed hydroxychloroquine.
Lichenoid eruption was reported with bisoprolol.
Linear IgA bullous dermatosis was reported after vancomycin.
Pemphigus was reported after penicillamine.
Drug-induced lupus with arthralgia and positive antinuclear antibodies followed hydralazine.
Procainamide and isoniazid were also associated with drug-induced lupus.
Anticholinergic toxicity with delirium, dry mouth and urinary retention followed oxybutynin in an elderly man.
Hypothermia was reported in a patient receiving olanzapine.
"""
DRUGS = ["amoxicillin", "warfarin", "metformin", "ibuprofen", "carbamazepine", "clozapine", "cisplatin",
         "docetaxel", "ceftriaxone", "penicillin", "valproate", "sumatriptan", "isoniazid", "rifampicin",
         "Amiodarone", "Digoxin", "Furosemide", "Tramadol", "Lisinopril", "Simvastatin"]
REACTIONS = ["rash", "nausea", "vomiting", "headache", "dizziness", "hepatitis", "neutropenia", "angioedema",
             "urticaria", "tachycardia", "bradycardia", "jaundice", "pancreatitis", "confusion", "seizures",
             "Anaphylaxis", "Hypotension", "Pruritus", "Myalgia", "Insomnia"]
TEMPLATES = [
    "{r} was reported after {d}.",
    "The patient developed {r} and {r2} following {d}.",
    "{d} was stopped because of {r}.",
    "Severe {r} occurred during treatment with {d} and {d2}.",
    "After {d} the {r} resolved; {d2} was continued.",
]


def corpus_lines():
    rng = random.Random(SEED)
    lines = [l for l in CORPUS.strip().splitlines() if l.strip()]
    for _ in range(600):
        d, d2 = rng.sample(DRUGS, 2)
        r, r2 = rng.sample(REACTIONS, 2)
        lines.append(rng.choice(TEMPLATES).format(d=d, d2=d2, r=r, r2=r2))
    return lines


def cased_vocab(size=2000):
    """A cased WordPiece vocabulary trained on CORPUS. The trainer gives '##x' pieces ids in hash-map
    order and breaks equal merge counts by id, so its output varies from run to run (tokenizers issue
    #1794); listing every '##x' piece up front, as a special token, fixes their ids and the result."""
    lines = corpus_lines()
    pieces = ["##" + c for c in sorted({c for line in lines for c in line if not c.isspace()})]
    trainer = BertWordPieceTokenizer(lowercase=False, strip_accents=False, clean_text=True,
                                     handle_chinese_chars=True)
    trainer.train_from_iterator(lines, vocab_size=size, min_frequency=1, show_progress=False,
                                special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + pieces)
    vocab = trainer.get_vocab()
    return dict(sorted(vocab.items(), key=lambda kv: kv[1]))


def tune_head(model, tok):
    """Random heads give every token nearly the same label. Widen the classifier, centre its logits
    on the reference tokens, then shift the "O" bias so that NON_O_TARGET of them are entities. The
    shift lies halfway between two tokens' tipping points, so no token is left on an O/entity tie."""
    enc = tok(TEXTS, truncation=True, padding=True, return_tensors="pt", return_special_tokens_mask=True)
    real = enc["special_tokens_mask"] == 0  # [CLS], [SEP] and padding are special
    with torch.no_grad():
        model.classifier.weight.normal_(0.0, HEAD_STD)
        model.classifier.bias.zero_()
        logits = model(**{n: enc[n] for n in mf.input_names(model)}).logits[real].double()
        bias = -logits.mean(dim=0)
        centred = logits + bias
        # A token is labelled O once the O shift exceeds its tipping point (best other logit - O logit).
        tips = (centred[:, 1:].max(dim=-1).values - centred[:, 0]).sort().values
        k = len(tips) - round(NON_O_TARGET * len(tips))  # the k lowest become O
        bias[0] += (tips[k - 1] + tips[k]) / 2
        model.classifier.bias.copy_(bias.float())


def build(name, seed, vocabs):
    labels, cased, max_len = MODELS[name]
    vocab = vocabs[cased]
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=len(vocab), max_position_embeddings=max_len, pad_token_id=0,
        id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)},
        initializer_range=mf.INIT_RANGE, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64,
    )
    model = BertForTokenClassification(config)
    model.eval()
    config.architectures = [type(model).__name__]

    out = FIXTURES / "models" / name
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    # Save before the first call (see make_fixtures.build): calls set truncation/padding on the backend.
    if cased:
        BertTokenizer(vocab=vocab, do_lower_case=False, strip_accents=False, model_max_length=max_len).save_pretrained(out)
    else:
        BertTokenizer(vocab=vocab, do_lower_case=True, model_max_length=max_len).save_pretrained(out)
    tok = AutoTokenizer.from_pretrained(out)
    raw = tokenizers.Tokenizer.from_file(str(out / "tokenizer.json"))
    assert raw.truncation is None and raw.padding is None, f"{name}: tokenizer.json truncates or pads"
    tune_head(model, tok)
    config.save_pretrained(out)
    mf.export_onnx(model, out / "model.onnx", logits_axes={0: "batch", 1: "sequence"})
    return model, tok, out


def ort_check(model, tok, out):
    """ORT vs torch on the padded reference batch and on the padded stride windows of every text."""
    diff = mf.ort_max_diff(model, out / "model.onnx", tok(TEXTS, truncation=True, padding=True, return_tensors="pt"))
    for text in TEXTS:
        enc = tok(text, truncation=True, stride=STRIDE, return_overflowing_tokens=True, padding=True,
                  return_tensors="pt")
        enc.pop("overflow_to_sample_mapping")
        diff = max(diff, mf.ort_max_diff(model, out / "model.onnx", enc))
    return diff


def offsets(text, start, end):
    return {
        "start": start, "end": end,
        "start_utf8": len(text[:start].encode("utf-8")), "end_utf8": len(text[:end].encode("utf-8")),
        "start_utf16": len(text[:start].encode("utf-16-le")) // 2,
        "end_utf16": len(text[:end].encode("utf-16-le")) // 2,
    }


def entry(text, e, strategy):
    assert isinstance(e["score"], np.float32), type(e["score"])  # softmax runs in float32
    label = e["entity"] if strategy == "none" else e["entity_group"]
    d = {"label": label, "score": float(e["score"]), **offsets(text, e["start"], e["end"]), "word": e["word"]}
    if strategy == "none":
        d["index"] = int(e["index"])
    return d


class Probe:
    """Wraps two pipeline steps to count how often stride windows' entities collide, and to find the
    smallest score gap any label decision rests on (average: top-2 of the mean scores; max: the best
    token against the best token with another label; overlapping windows: equal-length rivals)."""

    def __init__(self, ner):
        self.before = self.after = self.conflicts = 0
        self.gap = 1.0
        self.aggregate_word = ner.aggregate_word
        self.aggregate_overlapping = ner.aggregate_overlapping_entities
        ner.aggregate_word = self.word
        ner.aggregate_overlapping_entities = self.overlapping

    def word(self, entities, strategy):
        scores = np.stack([e["scores"] for e in entities])
        if strategy.value == "average":
            top = np.sort(np.nanmean(scores, axis=0))
            self.gap = min(self.gap, float(top[-1] - top[-2]))
        elif strategy.value == "max":
            best = scores.max(axis=1)
            rivals = best[scores.argmax(axis=1) != scores[best.argmax()].argmax()]
            if len(rivals):
                self.gap = min(self.gap, float(best.max() - rivals.max()))
        return self.aggregate_word(entities, strategy)

    def overlapping(self, entities):
        for i, a in enumerate(entities):
            for b in entities[i + 1:]:
                overlap = a["start"] < b["end"] and b["start"] < a["end"]
                same_length = a["end"] - a["start"] == b["end"] - b["start"]
                label = "entity_group" if "entity_group" in a else "entity"
                if overlap and same_length and (a[label], a["word"]) != (b[label], b["word"]):
                    self.gap = min(self.gap, abs(float(a["score"]) - float(b["score"])))
        kept = self.aggregate_overlapping(entities)
        self.before += len(entities)
        self.after += len(kept)
        spans = {(e["start"], e["end"]) for e in kept}
        self.conflicts += sum((e["start"], e["end"]) not in spans for e in entities)
        return kept


def run_pipeline(model, tok, strategy, stride=None, ignore_labels=None):
    kw = {"aggregation_strategy": strategy}
    if stride is not None:
        kw["stride"] = stride
    if ignore_labels is not None:
        kw["ignore_labels"] = ignore_labels
    ner = pipeline("token-classification", model=model, tokenizer=tok, device="cpu", **kw)
    rec = Probe(ner)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a WordPiece tokenizer must not hit the "fallback heuristic"
        results = ner(TEXTS)
    need(rec.gap > MIN_MARGIN, f"{strategy} stride {stride}: a label rests on a score gap of {rec.gap}")
    return [[entry(t, e, strategy) for e in r] for t, r in zip(TEXTS, results)], rec


def token_view(tok, text):
    """The tokens the pipeline classifies without stride: (token, start, end), specials dropped."""
    enc = tok(text, truncation=True, return_offsets_mapping=True, return_special_tokens_mask=True)
    toks = tok.convert_ids_to_tokens(enc["input_ids"])
    return [(t, s, e) for t, (s, e), m in zip(toks, enc["offset_mapping"], enc["special_tokens_mask"]) if not m]


def entity_type(label):
    return label.split("-", 1)[-1]


def check_model(name, model, tok, cases, full):
    """The random head must give the Rust tests something to distinguish."""
    labels = list(model.config.id2label.values())
    for case in cases:
        types = {entity_type(e["label"]) for out in case["outputs"] for e in out}
        need(types >= ENTITY_TYPES, f'{case["aggregation"]} stride {case["stride"]}: entity types {types}')
    by = {(c["aggregation"], c["stride"]): c["outputs"] for c in cases if c["ignore_labels"] == ["O"]}
    none_labels = {e["label"] for out in by[("none", None)] for e in out}
    need(none_labels == set(labels) - {"O"}, f"none: labels {none_labels}")
    tags = [[e["label"] for e in out] for out in full]
    if "B-ADR" in labels:
        pairs = {(a.split("-")[0], b.split("-")[0]) for seq in tags for a, b in zip(seq, seq[1:])}
        need(("O", "I") in pairs, "no I- tag right after O")
        need(any(a == b and a.startswith("B-") for seq in tags for a, b in zip(seq, seq[1:])), "no B-X after B-X")
    multi = sub = 0
    for text, out in zip(TEXTS, by[("simple", None)]):
        toks = token_view(tok, text)
        for e in out:
            inside = [t for t, s, _ in toks if e["start"] <= s < e["end"]]
            multi += len(inside) > 1
            sub += any(t.startswith("##") for t in inside[1:])
    need(multi and sub, f"simple has {multi} multi-token and {sub} ## entities")
    for strategy in ("first", "average", "max"):
        need(by[(strategy, None)] != by[("simple", None)], f"{strategy} equals simple")
    need(by[("first", None)] != by[("max", None)] or by[("first", None)] != by[("average", None)],
         "first, average and max agree")
    return multi, sub


def margins(model, tok):
    """Smallest top-1 / top-2 probability gap over every token the pipeline scores (with and without
    stride windows), so the Rust side's labels cannot flip on ORT-vs-torch noise."""
    gap = 1.0
    for text in TEXTS:
        for kw in ({}, {"stride": STRIDE, "return_overflowing_tokens": True, "padding": True}):
            enc = tok(text, truncation=True, return_tensors="pt", return_special_tokens_mask=True, **kw)
            real = enc["special_tokens_mask"] == 0
            with torch.no_grad():
                probs = torch.softmax(model(**{n: enc[n] for n in mf.input_names(model)}).logits, dim=-1)[real]
            top = probs.topk(2, dim=-1).values
            if len(top):
                gap = min(gap, float((top[:, 0] - top[:, 1]).min()))
    return gap


def case(name, strategy, stride, max_len, ignore_labels, truncated, outputs):
    return {"model": name, "aggregation": strategy, "stride": stride, "max_length": max_len,
            "ignore_labels": ignore_labels, "truncated": truncated, "texts": TEXTS, "outputs": outputs}


def make_model(name, seed, vocabs):
    """Build, export and run one model; raises Unlucky when its outputs fail the richness checks."""
    labels, cased, max_len = MODELS[name]
    model, tok, out = build(name, seed, vocabs)
    gap = margins(model, tok)
    need(gap > MIN_MARGIN, f"top-2 probability gap {gap}")
    truncated = [len(tok(t)["input_ids"]) > max_len for t in TEXTS]
    # Only LONG may be cut: always for the 64-token model, for the others when their tokenizer makes it long.
    assert sum(truncated) == truncated[LONG_INDEX] and (truncated[LONG_INDEX] or max_len > 64), (name, truncated)
    cases, skipped, notes = [], [], []
    for strategy in STRATEGIES:
        cases.append(case(name, strategy, None, max_len, ["O"], truncated, run_pipeline(model, tok, strategy)[0]))
    full, _ = run_pipeline(model, tok, "none", ignore_labels=[])
    if name == STRIDE_MODEL:
        cases.append(case(name, "none", None, max_len, [], truncated, full))
        cases.append(case(name, "simple", None, max_len, [], truncated,
                          run_pipeline(model, tok, "simple", ignore_labels=[])[0]))
        for strategy in STRATEGIES:
            try:
                outputs, probe = run_pipeline(model, tok, strategy, stride=STRIDE)
            except ValueError as err:
                skipped.append({"model": name, "aggregation": strategy, "stride": STRIDE, "error": str(err)})
                continue
            need(outputs[LONG_INDEX] != cases[STRATEGIES.index(strategy)]["outputs"][LONG_INDEX],
                 f"{strategy}: stride changes nothing")
            notes.append(f"  {strategy} stride {STRIDE}: {probe.before} window entities -> {probe.after}, "
                         f"{probe.conflicts} dropped for a different span")
            cases.append(case(name, strategy, STRIDE, max_len, ["O"], [False] * len(TEXTS), outputs))
    multi, sub = check_model(name, model, tok, cases, full)
    diff = ort_check(model, tok, out)
    n_tokens = sum(len(o) for o in full)
    non_o = sum(e["label"] != "O" for o in full for e in o)
    counts = {f'{c["aggregation"]}{"/stride" if c["stride"] else ""}{"/keepO" if not c["ignore_labels"] else ""}':
              sum(map(len, c["outputs"])) for c in cases}
    notes.insert(0, f"{name}: seed {seed}, vocab {len(tok)}, max |ORT - torch| = {diff:.3g}, non-O "
                    f"{non_o}/{n_tokens} = {non_o / n_tokens:.2f}, min top-2 gap {gap:.2g}, "
                    f"simple multi-token {multi}, with ## {sub}")
    notes.insert(1, f"  entities: {counts}")
    return cases, skipped, notes


def dump(reference):
    """JSON with one entity per line (indent=1 would give each field its own line and triple the size)."""
    def one(value):
        return json.dumps(value, ensure_ascii=False)

    def rows(items, indent, fmt):
        return "[]" if not items else "[\n" + ",\n".join(indent + fmt(i) for i in items) + "\n" + indent[:-1] + "]"

    cases = []
    for case in reference["cases"]:
        fields = [f'  "{k}": {one(v)}' for k, v in case.items() if k not in ("texts", "outputs")]
        fields.append('  "texts": ' + rows(case["texts"], "   ", one))
        fields.append('  "outputs": ' + rows(case["outputs"], "   ", lambda o: rows(o, "    ", one)))
        cases.append(" {\n" + ",\n".join(fields) + "\n }")
    return ("{\n" + f' "generator": {one(reference["generator"])},\n' + f' "skipped": {one(reference["skipped"])},\n'
            + ' "cases": [\n' + ",\n".join(cases) + "\n ]\n}\n")


def main():
    vocabs = {False: mf.small_vocab(), True: cased_vocab()}
    cases, skipped, seeds = [], [], {}
    for index, name in enumerate(MODELS):
        for attempt in range(ATTEMPTS):
            seed = SEED + index + 10 * attempt
            try:
                more, more_skipped, notes = make_model(name, seed, vocabs)
                break
            except Unlucky as err:
                print(f"{name}: seed {seed} rejected: {err}")
        else:
            raise SystemExit(f"{name}: no usable seed in {ATTEMPTS} attempts")
        print("\n".join(notes))
        cases += more
        skipped += more_skipped
        seeds[name] = seed
    for s in skipped:
        print(f"  skipped {s['model']} {s['aggregation']} stride {s['stride']}: {s['error']}")

    reference = {
        "generator": {"torch": torch.__version__, "transformers": transformers.__version__,
                      "tokenizers": tokenizers.__version__, "script": "tools/make_span_fixtures.py",
                      "seeds": seeds},
        "skipped": skipped,
        "cases": cases,
    }
    path = FIXTURES / "reference" / "spans.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = dump(reference)
    assert json.loads(text) == reference
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(mf.ROOT)}")


if __name__ == "__main__":
    main()
