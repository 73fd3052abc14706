#!/usr/bin/env python3
"""Write the INVENTED MedDRA-format dictionaries under tests/fixtures/meddra/ (en, zh).

The codes (9xxxxxxx) and terms are made up for Vigil's tests; nothing here is MedDRA content.
The files follow the MedDRA ASCII distribution layout (`$`-separated, trailing `$`, CRLF, UTF-8),
so the loader is tested on the real format without a licensed release.

Run from the repository root (python3, standard library only; output is deterministic):
    python3 tools/make_meddra_fixture.py
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "meddra"

# English tree. SOC: (abbrev, name, [HLGT: (name, [HLT names])]).
EN_SOCS = [
    ("NEUR", "Neurological and mental conditions", [
        ("Head pain and dizziness conditions", ["Headache types", "Dizziness and fainting states"]),
        ("Sleep, mood and sensation disturbances",
         ["Sleep disturbances", "Mood and anxiety disturbances", "Sensory nerve disturbances"]),
    ]),
    ("DIGE", "Digestive tract conditions", [
        ("Upper digestive symptoms", ["Nausea and vomiting symptoms", "Gastric and reflux complaints"]),
        ("Lower digestive and bowel symptoms", ["Bowel motility changes", "Abdominal pain states"]),
        ("Liver and bile conditions", ["Liver injury and inflammation"]),
    ]),
    ("SKIN", "Skin and appendage conditions", [
        ("Skin eruptions and itching", ["Rashes and eruptions", "Itching states", "Hives and swelling states"]),
        ("Hair, nail and sweat conditions", ["Hair loss states", "Sweating disturbances"]),
    ]),
    ("CIRC", "Heart and circulation conditions", [
        ("Heart rhythm and pump conditions", ["Rhythm disturbances", "Heart failure and chest pain states"]),
        ("Blood pressure and vessel conditions", ["Blood pressure changes", "Vessel clotting and bleeding"]),
    ]),
    ("LABS", "Laboratory findings", [
        ("Chemistry and blood count findings",
         ["Liver enzyme findings", "Blood cell count findings", "Electrolyte and glucose findings"]),
    ]),
]

# PT: (name, [HLT names, the first one in the primary SOC], [LLT names; "!" marks non-current]).
EN_PTS = [
    ("Headache", ["Headache types"], ["Head pain", "Pain in head", "Cephalgia", "!Cephalalgia"]),
    ("Migraine", ["Headache types"], ["Migraine attack", "Migraine with aura", "Sick headache"]),
    ("Tension headache", ["Headache types"], ["Tension-type headache", "Stress headache"]),
    ("Cluster headache", ["Headache types"], ["Cluster headaches", "Histamine headache"]),
    ("Dizziness", ["Dizziness and fainting states"], ["Feeling dizzy", "Light-headedness", "Giddiness", "!Dizzy spell"]),
    ("Vertigo", ["Dizziness and fainting states"], ["Spinning sensation", "Room spinning", "Positional vertigo"]),
    ("Syncope", ["Dizziness and fainting states"], ["Fainting", "Passing out", "Blackout"]),
    ("Ménière's disease", ["Dizziness and fainting states"], ["Ménière's syndrome", "Endolymphatic hydrops"]),
    ("Insomnia", ["Sleep disturbances"], ["Sleeplessness", "Difficulty falling asleep", "Poor sleep"]),
    ("Somnolence", ["Sleep disturbances"], ["Drowsiness", "Excessive daytime sleepiness", "!Sopor"]),
    ("Nightmare", ["Sleep disturbances"], ["Bad dreams", "Abnormal dreams"]),
    ("Anxiety", ["Mood and anxiety disturbances"], ["Feeling anxious", "Nervousness", "Anxiety state"]),
    ("Depression", ["Mood and anxiety disturbances"], ["Depressed mood", "Feeling low", "Low mood"]),
    ("Confusional state", ["Mood and anxiety disturbances"], ["Confusion", "Disorientation", "Feeling confused"]),
    ("Paraesthesia", ["Sensory nerve disturbances"], ["Tingling", "Pins and needles", "Paresthesia"]),
    ("Hypoaesthesia", ["Sensory nerve disturbances"], ["Numbness", "Numbness of hands", "Reduced sensation"]),
    ("Peripheral neuropathy", ["Sensory nerve disturbances"], ["Nerve damage in feet", "Polyneuropathy"]),
    ("Guillain-Barré syndrome", ["Sensory nerve disturbances"], ["Acute inflammatory demyelinating polyneuropathy"]),
    ("Dysgeusia", ["Sensory nerve disturbances", "Gastric and reflux complaints"],
     ["Taste disturbance", "Metallic taste", "Bad taste in mouth"]),
    ("Nausea", ["Nausea and vomiting symptoms"], ["Feeling sick", "Queasiness", "Nauseous", "!Nausea aggravated"]),
    ("Vomiting", ["Nausea and vomiting symptoms"], ["Throwing up", "Emesis", "Being sick"]),
    ("Retching", ["Nausea and vomiting symptoms"], ["Dry heaves", "Gagging"]),
    ("Dyspepsia", ["Gastric and reflux complaints"], ["Indigestion", "Upset stomach", "Acid indigestion"]),
    ("Gastrooesophageal reflux disease", ["Gastric and reflux complaints"],
     ["Acid reflux", "Heartburn", "Reflux oesophagitis", "GERD"]),
    ("Abdominal distension", ["Gastric and reflux complaints"], ["Bloating", "Abdominal bloating", "Swollen belly"]),
    ("Diarrhoea", ["Bowel motility changes"], ["Diarrhea", "Loose stools", "Watery stools", "!Diarrhoea aggravated"]),
    ("Constipation", ["Bowel motility changes"], ["Hard stools", "Difficulty passing stool", "Constipated"]),
    ("Flatulence", ["Bowel motility changes"], ["Passing gas", "Excessive wind"]),
    ("Abdominal pain", ["Abdominal pain states"], ["Stomach ache", "Stomach pain", "Tummy ache", "Belly pain"]),
    ("Abdominal pain upper", ["Abdominal pain states"], ["Epigastric pain", "Upper abdominal pain"]),
    ("Abdominal pain lower", ["Abdominal pain states"], ["Lower abdominal pain", "Suprapubic pain"]),
    ("Hepatitis", ["Liver injury and inflammation"], ["Liver inflammation", "Hepatitis acute", "!Hepatitis NOS"]),
    ("Drug-induced liver injury", ["Liver injury and inflammation"],
     ["Drug induced hepatitis", "Hepatotoxicity", "Toxic liver injury"]),
    ("Jaundice", ["Liver injury and inflammation", "Rashes and eruptions", "Liver enzyme findings"],
     ["Yellow skin", "Yellowing of eyes", "Icterus"]),
    ("Hepatic failure", ["Liver injury and inflammation"], ["Liver failure", "Acute liver failure"]),
    ("Rash", ["Rashes and eruptions"], ["Skin rash", "Eruption", "Rash generalised", "!Rash NOS"]),
    ("Rash maculo-papular", ["Rashes and eruptions"], ["Maculopapular rash", "Morbilliform rash"]),
    ("Erythema", ["Rashes and eruptions"], ["Skin redness", "Redness of skin"]),
    ("Stevens-Johnson syndrome", ["Rashes and eruptions"], ["SJS", "Erythema multiforme major"]),
    ("Photosensitivity reaction", ["Rashes and eruptions"], ["Sun sensitivity", "Sunburn-like reaction"]),
    ("Pruritus", ["Itching states"], ["Itching", "Itchy skin", "Skin itch", "Pruritus generalised"]),
    ("Urticaria", ["Hives and swelling states"], ["Hives", "Nettle rash", "Wheals"]),
    ("Angioedema", ["Hives and swelling states", "Vessel clotting and bleeding"],
     ["Angioneurotic oedema", "Facial swelling", "Lip swelling", "Swollen tongue"]),
    ("Alopecia", ["Hair loss states"], ["Hair loss", "Hair thinning", "Baldness"]),
    ("Hyperhidrosis", ["Sweating disturbances"], ["Excessive sweating", "Sweating increased", "Night sweats"]),
    ("Palpitations", ["Rhythm disturbances", "Mood and anxiety disturbances"],
     ["Heart pounding", "Racing heart", "Fluttering in chest"]),
    ("Tachycardia", ["Rhythm disturbances"], ["Fast heart rate", "Rapid heartbeat", "Heart rate increased"]),
    ("Bradycardia", ["Rhythm disturbances"], ["Slow heart rate", "Slow pulse", "Heart rate decreased"]),
    ("Atrial fibrillation", ["Rhythm disturbances"], ["Auricular fibrillation", "Irregular heartbeat", "AFib"]),
    ("Cardiac failure", ["Heart failure and chest pain states"],
     ["Heart failure", "Congestive heart failure", "!Cardiac failure NOS"]),
    ("Chest pain", ["Heart failure and chest pain states"], ["Pain in chest", "Chest discomfort", "Chest tightness"]),
    ("Hypertension", ["Blood pressure changes"], ["High blood pressure", "Blood pressure increased", "BP high"]),
    ("Hypotension", ["Blood pressure changes"], ["Low blood pressure", "Blood pressure decreased", "BP low"]),
    ("Orthostatic hypotension", ["Blood pressure changes", "Dizziness and fainting states"],
     ["Postural hypotension", "Dizziness on standing"]),
    ("Deep vein thrombosis", ["Vessel clotting and bleeding"], ["DVT", "Blood clot in leg", "Venous thrombosis of leg"]),
    ("Pulmonary embolism", ["Vessel clotting and bleeding"], ["Lung embolism", "Blood clot in lung"]),
    ("Epistaxis", ["Vessel clotting and bleeding"], ["Nosebleed", "Bleeding from nose"]),
    ("Haemorrhage", ["Vessel clotting and bleeding"], ["Bleeding", "Hemorrhage", "!Blood loss"]),
    ("Alanine aminotransferase increased", ["Liver enzyme findings"], ["ALT increased", "SGPT increased"]),
    ("Hepatic enzyme increased", ["Liver enzyme findings"],
     ["Liver enzymes raised", "Transaminases increased", "LFTs abnormal"]),
    ("Platelet count decreased", ["Blood cell count findings"], ["Low platelets", "Thrombocytopenia"]),
    ("Haemoglobin decreased", ["Blood cell count findings"], ["Low haemoglobin", "Hemoglobin decreased"]),
    ("Blood glucose increased", ["Electrolyte and glucose findings"],
     ["Hyperglycaemia", "High blood sugar", "Hyperglycemia"]),
    ("Blood potassium decreased", ["Electrolyte and glucose findings"], ["Hypokalaemia", "Low potassium"]),
]

ZH_SOCS = [
    ("NEUR", "神经及精神病症", [
        ("头痛与眩晕病症", ["头痛类", "眩晕与晕厥"]),
        ("睡眠与情绪障碍", ["睡眠障碍", "焦虑与抑郁", "感觉障碍"]),
    ]),
    ("DIGE", "消化系统病症", [
        ("上消化道症状", ["恶心与呕吐", "胃部不适"]),
        ("肠道与肝脏症状", ["腹痛类", "排便异常", "肝损伤"]),
    ]),
    ("SKIN", "皮肤病症", [
        ("皮疹与瘙痒", ["皮疹类", "瘙痒与荨麻疹"]),
    ]),
    ("CIRC", "心血管病症", [
        ("心律与血压异常", ["心律失常", "血压异常"]),
    ]),
]

ZH_PTS = [
    ("头痛", ["头痛类"], ["头疼", "头部疼痛", "!头痛加重"]),
    ("偏头痛", ["头痛类"], ["偏头疼", "先兆偏头痛"]),
    ("头晕", ["眩晕与晕厥"], ["头昏", "头晕目眩"]),
    ("眩晕", ["眩晕与晕厥"], ["天旋地转", "位置性眩晕"]),
    ("晕厥", ["眩晕与晕厥"], ["昏厥", "晕倒"]),
    ("失眠", ["睡眠障碍"], ["睡眠不佳", "入睡困难"]),
    ("嗜睡", ["睡眠障碍"], ["困倦", "白天嗜睡"]),
    ("焦虑", ["焦虑与抑郁"], ["焦虑不安", "紧张不安"]),
    ("抑郁", ["焦虑与抑郁"], ["情绪低落", "心情抑郁"]),
    ("感觉异常", ["感觉障碍"], ["麻刺感", "针刺感"]),
    ("恶心", ["恶心与呕吐"], ["反胃", "想吐"]),
    ("呕吐", ["恶心与呕吐"], ["喷射性呕吐", "吐出"]),
    ("消化不良", ["胃部不适"], ["胃部不适感", "胃胀"]),
    ("胃食管反流", ["胃部不适"], ["反酸", "烧心", "胃灼热"]),
    ("腹痛", ["腹痛类"], ["肚子痛", "肚子疼", "腹部疼痛"]),
    ("上腹痛", ["腹痛类"], ["上腹部疼痛", "胃痛"]),
    ("腹泻", ["排便异常"], ["拉肚子", "稀便", "!腹泻加重"]),
    ("便秘", ["排便异常"], ["大便干结", "排便困难"]),
    ("肝炎", ["肝损伤"], ["肝脏炎症", "急性肝炎"]),
    ("黄疸", ["肝损伤", "皮疹类"], ["皮肤发黄", "巩膜黄染"]),
    ("药物性肝损伤", ["肝损伤"], ["药物性肝炎", "肝毒性"]),
    ("皮疹", ["皮疹类"], ["出疹", "红疹", "全身皮疹"]),
    ("斑丘疹", ["皮疹类"], ["麻疹样皮疹"]),
    ("瘙痒", ["瘙痒与荨麻疹"], ["皮肤瘙痒", "发痒"]),
    ("荨麻疹", ["瘙痒与荨麻疹"], ["风团", "风疹块"]),
    ("血管性水肿", ["瘙痒与荨麻疹", "血压异常"], ["面部肿胀", "嘴唇肿胀"]),
    ("心悸", ["心律失常", "焦虑与抑郁"], ["心慌", "心跳很重"]),
    ("心动过速", ["心律失常"], ["心率加快", "心跳过快"]),
    ("心动过缓", ["心律失常"], ["心率减慢", "心跳过慢"]),
    ("高血压", ["血压异常"], ["血压升高", "血压高"]),
    ("低血压", ["血压异常"], ["血压降低", "血压低"]),
]


def record(*fields):
    return "$".join(str(f) for f in fields) + "$\r\n"


def write(directory, name, lines):
    with open(directory / name, "w", encoding="utf-8", newline="") as f:
        f.writelines(lines)


def build(directory, socs, pts, base):
    """Codes: SOC base+1..., HLGT base+1000001..., HLT base+2000001..., PT base+3000001...,
    extra LLTs base+4000001...; each PT is also an LLT with the same code, as in real releases."""
    directory.mkdir(parents=True, exist_ok=True)
    soc_rows, hlgt_rows, hlt_rows, soc_hlgt, hlgt_hlt = [], [], [], [], []
    hlt_path = {}  # HLT name -> (hlt code, hlgt code, hlgt name, soc code, soc name, soc abbrev)
    for s, (abbrev, soc_name, hlgts) in enumerate(socs):
        soc = base + 1 + s
        soc_rows.append(record(soc, soc_name, abbrev, "", "", "", "", "", "", ""))
        for hlgt_name, hlts in hlgts:
            hlgt = base + 1000001 + len(hlgt_rows)
            hlgt_rows.append(record(hlgt, hlgt_name, "", "", "", "", "", "", ""))
            soc_hlgt.append(record(soc, hlgt))
            for hlt_name in hlts:
                hlt = base + 2000001 + len(hlt_rows)
                hlt_rows.append(record(hlt, hlt_name, "", "", "", "", "", "", ""))
                hlgt_hlt.append(record(hlgt, hlt))
                hlt_path[hlt_name] = (hlt, hlgt, hlgt_name, soc, soc_name, abbrev)

    pt_rows, llt_rows, hlt_pt, mdhier = [], [], [], []
    next_llt = base + 4000001
    for p, (pt_name, hlts, llts) in enumerate(pts):
        pt = base + 3000001 + p
        primary_soc = hlt_path[hlts[0]][3]
        pt_rows.append(record(pt, pt_name, "", primary_soc, "", "", "", "", "", "", ""))
        llt_rows.append(record(pt, pt_name, pt, "", "", "", "", "", "", "Y", ""))
        for llt_name in llts:
            current = "N" if llt_name.startswith("!") else "Y"
            llt_rows.append(record(next_llt, llt_name.lstrip("!"), pt, "", "", "", "", "", "", current, ""))
            next_llt += 1
        for i, hlt_name in enumerate(hlts):
            hlt, hlgt, hlgt_name, soc, soc_name, abbrev = hlt_path[hlt_name]
            hlt_pt.append(record(hlt, pt))
            flag = "Y" if i == 0 else "N"
            mdhier.append(record(pt, hlt, hlgt, soc, pt_name, hlt_name, hlgt_name, soc_name, abbrev, "",
                                 primary_soc, flag))

    for name, lines in [("soc.asc", soc_rows), ("hlgt.asc", hlgt_rows), ("hlt.asc", hlt_rows),
                        ("soc_hlgt.asc", soc_hlgt), ("hlgt_hlt.asc", hlgt_hlt), ("hlt_pt.asc", hlt_pt),
                        ("pt.asc", pt_rows), ("llt.asc", llt_rows), ("mdhier.asc", mdhier)]:
        write(directory, name, lines)
    extra = sum(len(llts) for _, _, llts in pts)
    print(f"{directory}: {len(soc_rows)} SOCs, {len(hlgt_rows)} HLGTs, {len(hlt_rows)} HLTs, "
          f"{len(pt_rows)} PTs, {len(llt_rows)} LLTs ({len(pts)} PT self-LLTs + {extra}), {len(mdhier)} paths")


if __name__ == "__main__":
    build(ROOT / "en", EN_SOCS, EN_PTS, 90000000)
    build(ROOT / "zh", ZH_SOCS, ZH_PTS, 90000000)
