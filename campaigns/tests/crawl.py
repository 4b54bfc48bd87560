from campaigns.models import Campaign, SupervisionGroup


def campaign_id(account, inside: bool):
    root = "540100" if inside else "540200"
    # The newest, where an office runs several campaigns over its city.
    return Campaign.objects.filter(root_unit__code=root).order_by("-start").first().pk


def group_id(account, inside: bool):
    if not inside:
        return SupervisionGroup.objects.get(campaign__root_unit__code="540200").pk
    return SupervisionGroup.objects.get(campaign__root_unit__code="540100", number=3).pk


PARAMS = {"campaign_id": campaign_id, "group_id": group_id}


def member_id(account, inside: bool):
    from campaigns.models import LeadingGroupMember

    if not inside:
        return 999_999
    return LeadingGroupMember.objects.filter(campaign__root_unit__code="540100").order_by("pk").first().pk


PARAMS["member_id"] = member_id
