"""Deterministic generator of large handbook libraries for benchmarks.

A large library is the bundled one plus entries for many business lines
(gas, broadband, banking, parcels, ...), written the way teams write theirs:
the standard phrases and procedures restated for each line of business, with
the line's own vocabulary. The same N and seed always give the same files.

    python bench/generate.py 10000 /tmp/lib10k
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from huashu import load_library, model  # noqa: E402

BUSINESSES = {
    "gas": ("燃气", "燃气表 报装 停气 安检 抄表 燃气费 阀门 漏气 燃气灶 热水器 预约上门 气价 阶梯气价 过户 销户"),
    "power": ("电力", "电费 停电 抢修 电表 峰谷电价 欠费停电 复电 增容 电压不稳 跳闸 光伏并网 抄表 电费账单"),
    "water": ("供水", "水费 停水 水压 水质 水表 管道破裂 二次供水 阶梯水价 开户 销户 漏水 抢修"),
    "broadband": ("宽带", "宽带故障 光猫 路由器 网速慢 断网 装机 移机 拆机 套餐 续约 测速 IPTV 上门维修 光纤"),
    "mobile": ("移动通信", "话费 流量 套餐变更 停机 复机 携号转网 补卡 实名认证 国际漫游 5G 积分兑换 副卡 彩铃"),
    "bank": ("银行", "信用卡 额度 还款 分期 年费 挂失 补卡 密码重置 转账 到账 冻结 理财 利率 网点 手机银行"),
    "insurance": ("保险", "理赔 保单 保费 退保 续保 报案 定损 核保 受益人 免赔额 车险 医疗险 犹豫期"),
    "parcel": ("快递", "快递 物流 签收 派送 延误 丢件 破损 退件 运单号 网点 上门取件 保价 驿站 改地址"),
    "retail": ("电商", "订单 退货 换货 退款 发票 优惠券 会员 积分 发货 缺货 价保 售后 评价 客服工单"),
    "property": ("物业", "物业费 停车 门禁 电梯 漏水 报修 保洁 绿化 装修 噪音 快递柜 访客 车位"),
    "airline": ("航空", "航班 延误 取消 改签 退票 行李 值机 座位 里程 会员 超售 中转 登机牌 餐食"),
    "hotel": ("酒店", "预订 入住 退房 押金 发票 早餐 升级 取消订单 加床 延迟退房 会员价 停车场"),
    "hospital": ("医院", "挂号 预约 复诊 检查报告 医保 退费 住院 出院 陪护 体检 专家号 检验结果 病历复印"),
    "transit": ("公交地铁", "公交卡 充值 失物招领 线路 首末班车 换乘 优惠 扫码乘车 退卡 拥挤 延误"),
    "government": ("政务热线", "社保 公积金 户籍 居住证 营业执照 不动产登记 投诉举报 办事指南 预约办理 证明开具"),
    "software": ("软件服务", "登录失败 密码找回 账号冻结 充值 订阅 续费 发票 数据导出 版本更新 故障 兼容性 授权"),
    "auto": ("汽车售后", "保养 维修 预约进厂 配件 保修期 召回 救援 钣金 喷漆 轮胎 代步车 质保"),
    "education": ("教育培训", "报名 课程 退费 试听 排课 老师 教材 证书 考试 补课 请假 家长会"),
    "travel": ("旅游", "跟团 自由行 签证 退团 行程变更 导游 景点门票 保险 酒店安排 集合时间 出境"),
    "food": ("外卖餐饮", "配送超时 餐品错漏 退款 食品安全 骑手 商家 优惠券 准时宝 差评 包装破损"),
}

# Above this, a business's entries of one kind are split into one category per topic.
MAX_CATEGORY_ENTRIES = 400
OWNERS = ["培训组", "质检组", "投诉组", "运营组", "一线班组", "知识库小组"]
SECTIONS_FOR_KIND = {"phrase": "phrases", "procedure": "procedures", "faq": "faq"}
KIND_WEIGHTS = (("phrase", 73), ("procedure", 15), ("faq", 12))

QUESTION_FORMS = [
    "{term}的问题该怎么处理？",
    "客户问{term}怎么办？",
    "客户反映{term}，应该怎么回复？",
    "{term}一般多久能处理好？",
    "客户对{term}不满意怎么办？",
    "{term}需要客户提供哪些资料？",
]
STEP_FORMS = [
    "核实客户的{term}信息",
    "在系统中查询{term}记录",
    "向客户说明{term}的办理规定",
    "为客户登记{term}并转派工单",
    "与相关部门确认{term}的处理进度",
    "按约定时间回电告知{term}结果",
]
TITLE_FORMS = ["{term}：{title}", "{title}（{business}）", "{business}{title}", "{term}{title}"]


def _clauses(library: model.Library) -> list[str]:
    """Sentence pieces of the bundled library: the wording large libraries reuse."""
    pieces: set[str] = set()
    for entry in library.entries:
        texts = [getattr(entry, name, "") for name in ("text", "instead", "answer", "summary")]
        if isinstance(entry, model.Procedure):
            texts += [step.do for step in entry.steps]
        for text in texts:
            for piece in re.split(r"[。！？；\n]", text or ""):
                piece = piece.strip("，、 ")
                if 4 <= len(piece) <= 40 and "{" not in piece:
                    pieces.add(piece)
    return sorted(pieces)


def _pick_kind(rng: random.Random) -> str:
    roll = rng.randrange(100)
    for kind, weight in KIND_WEIGHTS:
        if roll < weight:
            return kind
        roll -= weight
    return "phrase"


def generate(count: int, out: Path, seed: int = 20261122) -> Path:
    """Write a library of `count` entries (the bundled ones included) to `out`."""
    bundled = load_library(REPO / "scripts_library", base=REPO)
    rng = random.Random(seed)
    clauses = _clauses(bundled)
    titles = [e.title for e in bundled.entries]
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(REPO / "scripts_library", out)
    categories = yaml.safe_load((out / "categories.yaml").read_text(encoding="utf-8"))["categories"]
    extra = count - len(bundled.entries)
    per_business = max(1, -(-extra // len(BUSINESSES)))
    made = 0
    for code, (business, vocabulary) in BUSINESSES.items():
        if made >= extra:
            break
        terms = vocabulary.split()
        groups: dict[tuple[str, int], list[dict]] = {}
        for n in range(min(per_business, extra - made)):
            kind = _pick_kind(rng)
            term_index = rng.randrange(len(terms))
            term = terms[term_index]
            title = rng.choice(TITLE_FORMS).format(term=term, title=rng.choice(titles), business=business)
            entry: dict = {
                "id": f"{code}-{kind}-{n:05d}",
                "title": title,
                "owner": rng.choice(OWNERS),
                "reviewed": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
                "tags": sorted({business, term, rng.choice(terms)}),
            }
            if kind == "phrase":
                entry["text"] = f"{rng.choice(clauses)}，关于{term}，{rng.choice(clauses)}。"
                if rng.random() < 0.3:
                    entry["variants"] = [f"{rng.choice(clauses)}。"]
            elif kind == "procedure":
                entry["summary"] = f"{business}{term}的处理流程。{rng.choice(clauses)}。"
                entry["steps"] = [
                    {"do": rng.choice(STEP_FORMS).format(term=rng.choice(terms)) + "。" + rng.choice(clauses)}
                    for _ in range(rng.randint(3, 6))
                ]
            else:
                entry["question"] = rng.choice(QUESTION_FORMS).format(term=term)
                entry["answer"] = f"{rng.choice(clauses)}。{rng.choice(clauses)}，{term}{rng.choice(clauses)}。"
            groups.setdefault((kind, term_index), []).append(entry)
            made += 1
        for kind in ("phrase", "procedure", "faq"):
            by_term = [(t, groups[(kind, t)]) for t in range(len(terms)) if (kind, t) in groups]
            entries_of_kind = sum(len(entries) for _, entries in by_term)
            # Teams split a large business into one category per topic; a small one stays whole.
            if entries_of_kind <= MAX_CATEGORY_ENTRIES:
                by_term = [(None, [e for _, entries in by_term for e in entries])] if by_term else []
            for term_index, entries in by_term:
                suffix = "" if term_index is None else f"-t{term_index:02d}"
                topic = "" if term_index is None else f"·{terms[term_index]}"
                category_id = f"{code}-{SECTIONS_FOR_KIND[kind]}{suffix}"
                category = {
                    "id": category_id,
                    "title": f"{business}{topic}·{model.KIND_TITLES[kind]}",
                    "section": SECTIONS_FOR_KIND[kind],
                }
                if term_index is not None:
                    category["group"] = business  # one navigation group per business line
                categories.append(category)
                document = {"defaults": {"kind": kind, "category": category_id}, "entries": entries}
                path = out / "generated" / code / f"{kind}{suffix}.yaml"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(
                    yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
                )
    (out / "categories.yaml").write_text(
        yaml.safe_dump({"categories": categories}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="生成用于基准测试的大型话术库（结果确定、可重复）")
    parser.add_argument("count", type=int, help="条目总数（包含自带的话术库）")
    parser.add_argument("out", type=Path, help="输出文件夹（会被覆盖）")
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()
    generate(args.count, args.out, args.seed)
    library = load_library(args.out)
    print(f"生成 {args.out}：{len(library.entries)} 条，{len(library.categories)} 个分类")


if __name__ == "__main__":
    main()
